package org.icgw.media.tone;

/** Receives the tones found by a tone detector. */
@FunctionalInterface
public interface ToneListener {
    /**
     * A tone has lasted the detector's minimum duration; reported once per occurrence.
     *
     * @param tone which tone
     * @param startSample first sample of the tone on the detector's sample clock
     * @param durationSamples how long it had lasted when reported
     */
    void onTone(Tone tone, long startSample, long durationSamples);
}
