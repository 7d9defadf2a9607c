package org.icgw.media.tone;

import java.util.Objects;

/**
 * Detects North American precise dial tone (350 Hz + 440 Hz) in 8 kHz 16-bit linear PCM, as
 * heard on the callee's leg when the far end flashes for a three-way call.
 *
 * <p>Goertzel filters at 350 and 440 Hz run on rectangular blocks of {@value #BLOCK} samples
 * (25 ms), whose response has a null 40 Hz from the centre: ringback's 480 Hz component (US
 * ringback is 440 + 480 Hz) leaves the 440 Hz filter untouched and is counted against purity. A
 * block passes when both tones are at or above {@link Settings#minLevelDbm0()}, within
 * {@link Settings#maxTwistDb()} of each other and hold at least {@link Settings#minPurity()} of
 * the block's energy (speech, noise, other tones fail). A block whose energy is below what two
 * such tones need (an exact bound) is not filtered. Passing blocks, with up to
 * {@link Settings#maxGapBlocks()} failing ones bridged, accumulate; when they reach
 * {@link Settings#minDurationSamples()} the tone is reported once, and again only after it has
 * stopped and restarted.
 *
 * <p>Levels as in {@link org.icgw.media.dtmf.InbandDtmfDetector}: 0 dBm0 is a sine of amplitude
 * 22 750. One instance per leg, used by one thread; {@link #process} never allocates.
 */
public final class DialToneDetector {
    /** Samples per analysis block (25 ms). */
    public static final int BLOCK = 200;
    private static final double RATE = 8000.0;
    private static final double DBM0_AMPLITUDE = 22_750.0;
    private static final double COEFF_350 = 2 * Math.cos(2 * Math.PI * 350 / RATE);
    private static final double COEFF_440 = 2 * Math.cos(2 * Math.PI * 440 / RATE);
    private static final int HALF = BLOCK / 2;
    /**
     * U(HALF - 2), U(HALF - 1), U(HALF) with U(k) = sin((k + 1) w) / sin(w): the Goertzel
     * recurrence matrix [[2 cos w, -1], [1, 0]] raised to k is [[U(k), -U(k-1)], [U(k-1), -U(k-2)]].
     */
    private static final double[] U350 = chebyshev(350);
    private static final double[] U440 = chebyshev(440);

    private static double[] chebyshev(double hz) {
        double w = 2 * Math.PI * hz / RATE;
        double[] u = new double[3];
        for (int i = 0; i < 3; i++) {
            u[i] = Math.sin((HALF - 1 + i) * w) / Math.sin(w);
        }
        return u;
    }

    /**
     * Detector limits.
     *
     * @param minLevelDbm0 lowest accepted level of each of the two tones
     * @param maxTwistDb largest level difference between the two tones
     * @param minPurity least share of a block's energy held by the two tones
     * @param minDurationSamples how long the tone must last before it is reported
     * @param maxGapBlocks failing blocks bridged inside one occurrence
     */
    public record Settings(double minLevelDbm0, double maxTwistDb, double minPurity,
            int minDurationSamples, int maxGapBlocks) {
        /** Defaults: -30 dBm0, 6 dB, purity 0.7, one second, 2 blocks (50 ms). */
        public static Settings defaults() {
            return new Settings(-30, 6, 0.7, 8000, 2);
        }
    }

    private final ToneListener listener;
    private final double minPower;
    private final double maxTwist;
    private final double minPurity;
    private final long minDuration;
    private final int maxGap;

    private final double gate;
    private final short[] buf = new short[BLOCK];
    private int pos;
    private long sample;

    private boolean inTone;
    private boolean reported;
    private long toneStart;
    private long toneSamples;
    private int gap;
    private long tones;

    /** Creates a detector with {@link Settings#defaults()}. */
    public DialToneDetector(ToneListener listener) {
        this(listener, Settings.defaults());
    }

    /** Creates a detector with the given limits. */
    public DialToneDetector(ToneListener listener, Settings settings) {
        this.listener = Objects.requireNonNull(listener, "listener");
        double a = DBM0_AMPLITUDE * Math.pow(10, settings.minLevelDbm0() / 20);
        this.minPower = a * a / 2;
        this.maxTwist = Math.pow(10, settings.maxTwistDb() / 10);
        this.minPurity = settings.minPurity();
        this.minDuration = settings.minDurationSamples();
        this.maxGap = settings.maxGapBlocks();
        // A Goertzel |X|^2 is at most BLOCK * energy (Cauchy-Schwarz), so a passing block has
        // energy >= minPower * BLOCK / 2; halved as a margin for rounding (9 dB below a tone
        // pair at the minimum level).
        this.gate = 0.5 * minPower * BLOCK / 2;
    }

    /**
     * Feeds {@code len} samples of {@code pcm} from {@code off}. Samples are stored; a block is
     * analysed when complete, and its filters skipped when its energy is below what a passing
     * block needs.
     */
    public void process(short[] pcm, int off, int len) {
        Objects.checkFromIndexSize(off, len, pcm.length);
        int i = off;
        int end = off + len;
        while (i < end) {
            int n = Math.min(BLOCK - pos, end - i);
            System.arraycopy(pcm, i, buf, pos, n);
            i += n;
            pos += n;
            sample += n;
            if (pos == BLOCK) {
                pos = 0;
                block();
            }
        }
    }

    private void block() {
        short[] x = buf;
        double e0 = 0;
        double e1 = 0;
        for (int n = 0; n < BLOCK; n += 2) {
            double s0 = x[n];
            double s1 = x[n + 1];
            e0 += s0 * s0;
            e1 += s1 * s1;
        }
        double energy = e0 + e1;
        boolean valid = false;
        if (energy >= gate) {
            // Each filter runs on both halves at once (independent recurrences, no waiting on
            // one chain); the first half's state is carried over the second by M^HALF.
            double a1 = 0;
            double a2 = 0;
            double b1 = 0;
            double b2 = 0;
            double c1 = 0;
            double c2 = 0;
            double d1 = 0;
            double d2 = 0;
            for (int n = 0; n < HALF; n++) {
                double s = x[n];
                double u = x[n + HALF];
                double a0 = Math.fma(COEFF_350, a1, s) - a2;
                double b0 = Math.fma(COEFF_440, b1, s) - b2;
                double c0 = Math.fma(COEFF_350, c1, u) - c2;
                double d0 = Math.fma(COEFF_440, d1, u) - d2;
                a2 = a1;
                a1 = a0;
                b2 = b1;
                b1 = b0;
                c2 = c1;
                c1 = c0;
                d2 = d1;
                d1 = d0;
            }
            double s350 = U350[2] * a1 - U350[1] * a2 + c1;
            double t350 = U350[1] * a1 - U350[0] * a2 + c2;
            double s440 = U440[2] * b1 - U440[1] * b2 + d1;
            double t440 = U440[1] * b1 - U440[0] * b2 + d2;
            // |X|^2 of a Goertzel filter; a sine of amplitude A gives |X| = A * BLOCK / 2.
            double m350 = s350 * s350 + t350 * t350 - COEFF_350 * s350 * t350;
            double m440 = s440 * s440 + t440 * t440 - COEFF_440 * s440 * t440;
            double p350 = 2 * m350 / ((double) BLOCK * BLOCK);
            double p440 = 2 * m440 / ((double) BLOCK * BLOCK);
            valid = p350 >= minPower && p440 >= minPower
                    && p350 <= p440 * maxTwist && p440 <= p350 * maxTwist
                    && (p350 + p440) * BLOCK >= minPurity * energy;
        }
        long blockStart = sample - BLOCK;
        if (valid) {
            if (!inTone) {
                inTone = true;
                reported = false;
                toneStart = blockStart;
                toneSamples = 0;
            }
            toneSamples = sample - toneStart;
            gap = 0;
            if (!reported && toneSamples >= minDuration) {
                reported = true;
                tones++;
                listener.onTone(Tone.DIAL, toneStart, toneSamples);
            }
        } else if (inTone && ++gap > maxGap) {
            inTone = false;
            gap = 0;
        }
    }

    /** Samples processed since creation. */
    public long samples() {
        return sample;
    }

    /** Occurrences reported. */
    public long tones() {
        return tones;
    }

    /** True while a dial tone is present (reported or not yet long enough). */
    public boolean inTone() {
        return inTone;
    }
}
