package org.icgw.media;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.icgw.media.announce.FrameSource;
import org.icgw.media.announce.Prompt;
import org.icgw.media.rtp.LegStats;

/**
 * The one interface through which call control drives the media of a call: two legs, the
 * inmate's ({@link Leg#A}) and the callee's ({@link Leg#B}), each with its own RTP and RTCP
 * sockets. Call control hears back only {@link MediaEvent}s, on the {@link MediaEventListener}
 * given when the session was opened.
 *
 * <p>Threading: every method may be called from any thread and returns at once; the work is
 * handed to the session's event loop, which owns all of its state and delivers its events.
 * Calls made from one thread take effect in the order made.
 *
 * <p>What a leg hears, in order of precedence: a prompt or frame source playing to it
 * ({@link #play}, {@link #playFrames}); otherwise, when bridged, the other leg's audio;
 * otherwise nothing. An announcement ({@link #mixIntoBoth}) is mixed on top. While a prompt
 * plays to a leg its packets are paced by the session's 20 ms clock; otherwise the other leg's
 * packets are relayed as they come, an announcement being mixed into them as they pass, and
 * the clock sends announcement-only frames only while the other leg sends nothing. Either way the leg receives one stream with
 * one SSRC whose sequence numbers and timestamps run on without gaps across these changes.
 */
public interface MediaSession {
    /** The local RTP port of {@code leg} (even; RTCP is the port above). */
    int localRtpPort(Leg leg);

    /**
     * Names where {@code leg} sends from and wants to receive RTP, from its SDP.
     *
     * @param rtp the SDP's connection address and media port (RTCP: the port above)
     * @param payloadType {@code 0} (PCMU) or {@code 8} (PCMA)
     * @param telephoneEventPt the RFC 4733 payload type, or {@code -1} if none was negotiated
     */
    void setRemote(Leg leg, InetSocketAddress rtp, int payloadType, int telephoneEventPt);

    /**
     * Plays {@code prompt} to {@code leg} instead of what it heard, once ({@link
     * MediaEvent.PromptFinished} at its end) or looped until {@link #stopPlay}. Replaces whatever
     * played to that leg before. DTMF detection on the leg continues (barge-in).
     */
    void play(Leg leg, Prompt prompt, boolean loop);

    /**
     * Plays {@code source} to {@code leg} instead of what it heard (ringback, hold audio) until
     * the source ends ({@link MediaEvent.PromptFinished}) or {@link #stopPlay} is called.
     */
    void playFrames(Leg leg, FrameSource source);

    /** Stops what {@link #play} or {@link #playFrames} plays to {@code leg}; no event follows. */
    void stopPlay(Leg leg);

    /**
     * Mixes {@code announcement} once into what both legs hear, scaled by {@code gain} (1.0 as
     * recorded) with saturation, read on the session's clock: it is added to the relayed
     * packets without delaying them, and a leg hears it even while the other side is silent. Replaces an announcement still being mixed; no event at its end.
     */
    void mixIntoBoth(Prompt announcement, float gain);

    /**
     * Switches the in-band detectors of {@code leg} on or off; until called they run as its
     * {@link LegConfig} says ({@link LegConfig#detectInbandDtmf()},
     * {@link LegConfig#detectDialTone()}). In-band DTMF detection costs far more than relaying
     * the leg's packets, so call control turns it off where digits no longer matter: on the
     * inmate's leg once the call is bridged (RFC 4733 events, flash included, are still
     * decoded and reported). A detector switched on starts afresh; one switched off drops a
     * tone in progress unreported. In-band DTMF stays off on a leg that has sent RFC 4733
     * events, whatever is asked here.
     */
    void detectInband(Leg leg, boolean dtmf, boolean dialTone);

    /** Relays audio between the legs (each still hears its own prompt if one plays). */
    void bridge();

    /** Stops relaying between the legs. */
    void unbridge();

    /**
     * Records the call's audio as it arrives from each leg to a stereo 8 kHz WAV file, the
     * inmate (leg A) on the left, the callee (leg B) on the right, each placed on the session's
     * clock so a silent or lossy side stays aligned; the file starts now. The file is created
     * on the calling thread; the recording is finished by {@link #stop()} and complete when
     * {@link #closeFuture()} completes. A second call while recording is ignored (logged).
     *
     * @throws IOException if the file cannot be created
     */
    void record(Path file) throws IOException;

    /** Ends the session: closes the sockets and the recording and returns the ports. Idempotent. */
    void stop();

    /** The counters of {@code leg}, readable from any thread. */
    LegStats stats(Leg leg);

    /**
     * Completes once the session has stopped, its ports are back in the pool and its recording
     * file, if any, is finished.
     */
    CompletableFuture<Void> closeFuture();
}
