package org.icgw.gateway.call;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.icgw.policy.store.Column;

/**
 * Timings and places of the call flow; the defaults are the contract's.
 *
 * @param mediaAddress        the address the gateway's RTP is bound to and named in its SDP
 * @param recordings          the folder recordings are written to, one WAV per call id
 * @param digitTimeout        PIN and number entry end after this long without a digit (5 s)
 * @param pinAttempts         wrong PINs allowed before the goodbye (3)
 * @param noAnswer            how long the callee's phone may ring (45 s)
 * @param menuRounds          rounds of the callee menu without a valid digit that count as refused (3)
 * @param menuDigitWait       how long after the menu prompt a digit is awaited (5 s)
 * @param mediaTimeout        no RTP from a leg this long ends the call (30 s)
 * @param warningBefore       the warning plays this long before the call must end (60 s)
 * @param announcementGain    the level at which the periodic announcement is mixed in
 */
public record CallSettings(InetAddress mediaAddress, Path recordings, Duration digitTimeout, int pinAttempts,
                           Duration noAnswer, int menuRounds, Duration menuDigitWait, Duration mediaTimeout,
                           Duration warningBefore, float announcementGain) {

    /** What follows the folder in a recording's path: a separator, the call id (a UUID) and ".wav". */
    private static final int RECORDING_NAME_CHARS = 1 + 36 + ".wav".length();

    /**
     * The longest {@code recordings} folder path, in characters: a recording's path is stored on
     * its CDR and must fit the {@code recording_file} column.
     */
    public static final int MAX_RECORDINGS_PATH = Column.CALL_RECORDS_RECORDING_FILE.size() - RECORDING_NAME_CHARS;

    public CallSettings {
        Objects.requireNonNull(mediaAddress, "media_address");
        Objects.requireNonNull(recordings, "recordings");
        int length = recordings.toString().length();
        if (length > MAX_RECORDINGS_PATH) {
            throw new IllegalArgumentException("recordings: a path of " + length + " characters is longer than "
                    + MAX_RECORDINGS_PATH + ", and a recording's path must fit its CDR (recording_file, "
                    + Column.CALL_RECORDS_RECORDING_FILE.size() + " characters)");
        }
    }

    /** The contract's defaults. */
    public static CallSettings defaults(InetAddress mediaAddress, Path recordings) {
        return new CallSettings(mediaAddress, recordings, Duration.ofSeconds(5), 3, Duration.ofSeconds(45), 3,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60), 0.5f);
    }

    public CallSettings withNoAnswer(Duration d) {
        return new CallSettings(mediaAddress, recordings, digitTimeout, pinAttempts, d, menuRounds, menuDigitWait,
                mediaTimeout, warningBefore, announcementGain);
    }

    public CallSettings withMediaTimeout(Duration d) {
        return new CallSettings(mediaAddress, recordings, digitTimeout, pinAttempts, noAnswer, menuRounds,
                menuDigitWait, d, warningBefore, announcementGain);
    }

    public CallSettings withDigitTimeout(Duration d) {
        return new CallSettings(mediaAddress, recordings, d, pinAttempts, noAnswer, menuRounds, menuDigitWait,
                mediaTimeout, warningBefore, announcementGain);
    }
}
