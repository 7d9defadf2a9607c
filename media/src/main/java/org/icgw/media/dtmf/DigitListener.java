package org.icgw.media.dtmf;

/** Receives the digits found by an {@link InbandDtmfDetector}. */
@FunctionalInterface
public interface DigitListener {
    /**
     * One tone burst, reported once, after it ended.
     *
     * @param digit {@code 0}-{@code 9}, {@code *}, {@code #} or {@code A}-{@code D}
     * @param startSample estimated first sample of the burst on the detector's sample clock
     *     (samples given to {@link InbandDtmfDetector#process} since creation or reset)
     * @param durationSamples estimated duration of the burst in samples (8 kHz)
     */
    void onDigit(char digit, long startSample, long durationSamples);
}
