package org.icgw.media;

import java.time.Instant;
import java.util.function.Consumer;
import org.icgw.media.dtmf.Dtmf;
import org.icgw.media.dtmf.InbandDtmfDetector;
import org.icgw.media.dtmf.TelephoneEventDecoder;
import org.icgw.media.tone.DialToneDetector;

/**
 * The detectors and the recorder channel fed from one leg's incoming media, turning what they
 * find into {@link MediaEvent}s. Runs on the session's event loop.
 *
 * <p>Once a leg has sent a telephone-event packet its in-band detector is switched off: a phone
 * that signals digits by RFC 4733 would otherwise report each digit twice.
 */
final class LegDsp implements LegObserver {
    /** Without packets for this long, an event or tone burst in progress is reported (flushed). */
    static final long FLUSH_AFTER_NANOS = 200_000_000L;

    private final Leg leg;
    private final Consumer<MediaEvent> events;
    private final TelephoneEventDecoder telephoneEvents;
    private InbandDtmfDetector inband;
    private DialToneDetector dialTone;
    private RecorderChannel recorder;
    /** The leg has sent RFC 4733 events: in-band DTMF stays off. */
    private boolean telephoneEventSeen;
    private boolean inbandEnabled;
    private boolean dialToneEnabled;
    private long lastEventNanos;
    private long lastAudioNanos;

    LegDsp(Leg leg, LegConfig config, Consumer<MediaEvent> events) {
        this.leg = leg;
        this.events = events;
        this.telephoneEvents = new TelephoneEventDecoder(this::onTelephoneEvent);
        detectInband(config.detectInbandDtmf(), config.detectDialTone());
    }

    /**
     * Switches the in-band detectors on or off; a detector switched on starts afresh, one
     * switched off forgets a tone in progress. In-band DTMF stays off once the leg has sent
     * RFC 4733 events.
     */
    void detectInband(boolean dtmf, boolean dialToneOn) {
        boolean inbandOn = dtmf && !telephoneEventSeen;
        if (inbandOn != inbandEnabled) {
            if (inband == null) {
                inband = new InbandDtmfDetector((digit, start, duration) ->
                        events.accept(new MediaEvent.DtmfDetected(leg, digit, DtmfMethod.INBAND, Instant.now())));
            }
            inband.reset();
            inbandEnabled = inbandOn;
        }
        if (dialToneOn != dialToneEnabled) {
            // A fresh detector: the old one may hold part of a tone.
            dialTone = dialToneOn
                    ? new DialToneDetector((tone, start, duration) ->
                            events.accept(new MediaEvent.DialToneDetected(leg, Instant.now())))
                    : null;
            dialToneEnabled = dialToneOn;
        }
    }

    private void onTelephoneEvent(int event, long rtpTimestamp, int durationSamples) {
        if (event == Dtmf.FLASH_EVENT) {
            events.accept(new MediaEvent.FlashDetected(leg, Instant.now()));
        } else if (Dtmf.isKey(event)) {
            events.accept(new MediaEvent.DtmfDetected(leg, Dtmf.eventToChar(event), DtmfMethod.RFC4733, Instant.now()));
        }
    }

    void recordTo(RecorderChannel channel) {
        this.recorder = channel;
    }

    @Override
    public boolean wantsAudio() {
        return inbandEnabled || dialToneEnabled || recorder != null;
    }

    @Override
    public void audio(short[] pcm, int len, long samplePosition) {
        lastAudioNanos = System.nanoTime();
        if (inbandEnabled) {
            inband.process(pcm, 0, len);
        }
        if (dialToneEnabled) {
            dialTone.process(pcm, 0, len);
        }
        if (recorder != null) {
            recorder.offer(samplePosition, pcm, 0, len);
        }
    }

    @Override
    public void telephoneEvent(long rtpTimestamp, byte[] payload, int len) {
        lastEventNanos = System.nanoTime();
        telephoneEventSeen = true;
        if (inbandEnabled) {
            inbandEnabled = false;
            inband.reset();
        }
        telephoneEvents.decode(rtpTimestamp, payload, 0, len);
    }

    /** Reports events whose packets stopped coming (all end packets lost, audio stopped mid-tone). */
    void flushIdle(long nowNanos) {
        if (telephoneEvents.pending() && nowNanos - lastEventNanos >= FLUSH_AFTER_NANOS) {
            telephoneEvents.flush();
        }
        if (inbandEnabled && lastAudioNanos != 0 && nowNanos - lastAudioNanos >= FLUSH_AFTER_NANOS) {
            inband.flush();
            lastAudioNanos = 0;
        }
    }

    /** One channel of the call's recording. */
    interface RecorderChannel {
        /** Offers {@code pcm[off..off+len)} placed at {@code samplePosition} on the session clock. */
        void offer(long samplePosition, short[] pcm, int off, int len);
    }
}
