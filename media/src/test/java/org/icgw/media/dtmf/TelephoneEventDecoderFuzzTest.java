package org.icgw.media.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of the RFC 4733 decoder with whole packet sequences: retransmitted ends,
 * lost ends, late and reordered packets, segments, timestamps wrapping past 2^32, short payloads
 * and the no-packet timer. In the test run only the seeds under
 * {@code TelephoneEventDecoderFuzzTestInputs/} run; {@code deploy/fuzz.sh telephone-event} fuzzes.
 *
 * <p>The input is a list of 8-byte records: a flags byte (bit 0: call {@link
 * TelephoneEventDecoder#flush()} instead of decoding; bit 3: cut the payload to bits 1-2 bytes),
 * a signed 24-bit step added to the running RTP timestamp (which starts just below 2^32 so that
 * it wraps), and the 4-byte event block. A trailing partial record is ignored.
 */
class TelephoneEventDecoderFuzzTest {

    static final int RECORD = 8;
    /** Close enough to 2^32 that a few steps wrap the 32-bit timestamp. */
    static final long START_TIMESTAMP = 0xFFFF_F000L;

    private record Reported(int event, long timestamp, int duration) {
    }

    /**
     * Never throws; each event is reported once (never the same start twice in a row), with a code some packet
     * carried and a duration no packet sequence could exceed; the counters add up.
     */
    @FuzzTest
    void decode(byte[] records) {
        List<Reported> reported = new ArrayList<>();
        TelephoneEventDecoder decoder = new TelephoneEventDecoder(
                (event, timestamp, duration) -> reported.add(new Reported(event, timestamp, duration)));
        long timestamp = START_TIMESTAMP;
        long decodes = 0;
        long shortPayloads = 0;
        boolean[] codesSeen = new boolean[256];
        for (int at = 0; at + RECORD <= records.length; at += RECORD) {
            int flags = records[at] & 0xFF;
            if ((flags & 1) != 0) {
                decoder.flush();
                assertThat(decoder.pending()).isFalse();
                continue;
            }
            int step = ((records[at + 1] << 16) | ((records[at + 2] & 0xFF) << 8) | (records[at + 3] & 0xFF));
            timestamp = (timestamp + step) & 0xFFFF_FFFFL;
            int length = (flags & 8) != 0 ? (flags >>> 1) & 3 : 4;
            byte[] payload = new byte[length];
            System.arraycopy(records, at + 4, payload, 0, length);
            if (length == 4) {
                codesSeen[payload[0] & 0xFF] = true;
            } else {
                shortPayloads++;
            }
            decoder.decode(timestamp, payload, 0, length);
            decodes++;
        }

        assertThat(decoder.packets()).isEqualTo(decodes);
        assertThat(decoder.malformed()).isEqualTo(shortPayloads);
        assertThat(decoder.events()).isEqualTo(reported.size());
        assertThat(decoder.events()).isLessThanOrEqualTo(decodes - shortPayloads);
        assertThat(decoder.endsLost()).isLessThanOrEqualTo(decoder.events());
        Reported previous = null;
        for (Reported r : reported) {
            assertThat(codesSeen[r.event()]).as("event %d was sent", r.event()).isTrue();
            assertThat(r.timestamp()).isBetween(0L, 0xFFFF_FFFFL);
            assertThat(r.duration()).isNotNegative();
            assertThat((long) r.duration()).isLessThanOrEqualTo(0xFFFFL * decodes);
            if (previous != null) {
                assertThat(r.timestamp()).as("%s reported after %s", r, previous).isNotEqualTo(previous.timestamp());
            }
            previous = r;
        }
    }
}
