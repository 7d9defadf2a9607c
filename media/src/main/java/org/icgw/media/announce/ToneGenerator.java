package org.icgw.media.announce;

/**
 * Cadenced dual-tone source (call-progress tones of ANSI T1.401), 20 ms frames.
 *
 * <p>The cadence is a repeating list of on/off durations in milliseconds; an empty cadence is a
 * continuous tone. Phases run on across frames and cadence steps, so the output has no clicks
 * between frames. Levels follow the detectors' reference: 0 dBm0 is a sine of amplitude 22 750.
 */
public final class ToneGenerator implements FrameSource {
    private static final double RATE = 8000.0;
    private static final double DBM0_AMPLITUDE = 22_750.0;

    private final double step1;
    private final double step2;
    private final double amp1;
    private final double amp2;
    private final int[] cadence;
    private double phase1;
    private double phase2;
    private int cadenceIndex;
    private int remaining;

    /**
     * @param f1 first frequency in Hz
     * @param f2 second frequency in Hz, or 0 for a single tone
     * @param dbm0 level of each frequency
     * @param cadenceMs on, off, on, off ... durations in ms, repeated; empty for continuous
     */
    public ToneGenerator(double f1, double f2, double dbm0, int... cadenceMs) {
        this.step1 = 2 * Math.PI * f1 / RATE;
        this.step2 = 2 * Math.PI * f2 / RATE;
        this.amp1 = DBM0_AMPLITUDE * Math.pow(10, dbm0 / 20);
        this.amp2 = f2 > 0 ? amp1 : 0;
        this.cadence = new int[cadenceMs.length];
        for (int i = 0; i < cadenceMs.length; i++) {
            if (cadenceMs[i] <= 0) {
                throw new IllegalArgumentException("cadence step must be positive: " + cadenceMs[i]);
            }
            cadence[i] = (int) ((long) cadenceMs[i] * 8);
        }
        reset();
    }

    /** US audible ringback: 440 + 480 Hz at -19 dBm0, 2 s on, 4 s off. */
    public static ToneGenerator ringbackUs() {
        return new ToneGenerator(440, 480, -19, 2000, 4000);
    }

    /** US precise dial tone: 350 + 440 Hz at -13 dBm0, continuous. */
    public static ToneGenerator dialToneUs() {
        return new ToneGenerator(350, 440, -13);
    }

    /** US busy tone: 480 + 620 Hz at -24 dBm0, 0.5 s on, 0.5 s off. */
    public static ToneGenerator busyUs() {
        return new ToneGenerator(480, 620, -24, 500, 500);
    }

    /**
     * Gentle hold audio for when no hold prompt is available: a soft 660 Hz pip of 200 ms at
     * -24 dBm0 every 4 s.
     */
    public static ToneGenerator holdPips() {
        return new ToneGenerator(660, 0, -24, 200, 3800);
    }

    /** Restarts at the beginning of the cadence. */
    public void reset() {
        phase1 = 0;
        phase2 = 0;
        cadenceIndex = 0;
        remaining = cadence.length == 0 ? Integer.MAX_VALUE : cadence[0];
    }

    @Override
    public int nextFrame(short[] frame) {
        for (int i = 0; i < FRAME; i++) {
            if (remaining == 0) {
                cadenceIndex = (cadenceIndex + 1) % cadence.length;
                remaining = cadence[cadenceIndex];
            }
            if (cadence.length == 0 || (cadenceIndex & 1) == 0) {
                frame[i] = (short) Math.round(amp1 * Math.sin(phase1) + amp2 * Math.sin(phase2));
            } else {
                frame[i] = 0;
            }
            phase1 += step1;
            phase2 += step2;
            if (phase1 > 2 * Math.PI) {
                phase1 -= 2 * Math.PI;
            }
            if (phase2 > 2 * Math.PI) {
                phase2 -= 2 * Math.PI;
            }
            if (cadence.length != 0) {
                remaining--;
            }
        }
        return FRAME;
    }
}
