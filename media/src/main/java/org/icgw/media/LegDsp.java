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
    private final InbandDtmfDetector inband;
    private final DialToneDetector dialTone;
    private RecorderChannel recorder;
    private boolean inbandEnabled;
    private long lastEventNanos;
    private long lastAudioNanos;

    LegDsp(Leg leg, LegConfig config, Consumer<MediaEvent> events) {
        this.leg = leg;
        this.events = events;
        this.telephoneEvents = new TelephoneEventDecoder(this::onTelephoneEvent);
        this.inband = config.detectInbandDtmf()
                ? new InbandDtmfDetector((digit, start, duration) ->
                        events.accept(new MediaEvent.DtmfDetected(leg, digit, DtmfMethod.INBAND, Instant.now())))
                : null;
        this.inbandEnabled = inband != null;
        this.dialTone = config.detectDialTone()
                ? new DialToneDetector((tone, start, duration) ->
                        events.accept(new MediaEvent.DialToneDetected(leg, Instant.now())))
                : null;
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
        return inbandEnabled || dialTone != null || recorder != null;
    }

    @Override
    public void audio(short[] pcm, int len, long samplePosition) {
        lastAudioNanos = System.nanoTime();
        if (inbandEnabled) {
            inband.process(pcm, 0, len);
        }
        if (dialTone != null) {
            dialTone.process(pcm, 0, len);
        }
        if (recorder != null) {
            recorder.offer(samplePosition, pcm, 0, len);
        }
    }

    @Override
    public void telephoneEvent(long rtpTimestamp, byte[] payload, int len) {
        lastEventNanos = System.nanoTime();
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
