package org.icgw.media.dtmf;

import java.util.Arrays;
import java.util.Objects;

/**
 * Detects DTMF digits in 8 kHz 16-bit linear PCM (ITU-T Q.23 frequencies, Q.24 receiver limits).
 *
 * <h2>Method</h2>
 * Eight Goertzel filters run on Hann-windowed blocks of {@value #BLOCK} samples (10 ms) started
 * every {@value #HOP} samples, so a block result arrives every 5 ms. A block whose energy is
 * too low for any tone pair to reach {@link Settings#minLevelDbm0()} is not filtered at all
 * (an exact bound, about 9 dB below it: the result is the same as filtering it). For each
 * block the strongest low-group (row) and high-group (column) filters are chosen and checked:
 * <ul>
 *   <li><b>frequency</b>: the tone's true frequency is measured from the phase advance of the
 *       filter output between two consecutive blocks ({@value #HOP} samples apart, unambiguous
 *       to +/-100 Hz). Deviations within {@link Settings#frequencyTolerance()} (default 2.5 %,
 *       between Q.24's 1.5 % must-accept and 3.5 % must-reject) pass;</li>
 *   <li><b>level</b>: each tone, corrected for the window's loss at the measured deviation, at
 *       or above {@link Settings#minLevelDbm0()};</li>
 *   <li><b>twist</b>: low group at most {@link Settings#normalTwistDb()} above the high group,
 *       high group at most {@link Settings#reverseTwistDb()} above the low group;</li>
 *   <li><b>purity</b> (speech guard): the two tones must hold at least
 *       {@link Settings#minPurity()} of the block's energy. Anything else (a third tone, the
 *       second harmonics and formants of speech, noise) lowers the ratio.</li>
 * </ul>
 * Consecutive passing blocks of one digit form a burst; up to {@link Settings#maxGapBlocks()}
 * failing blocks inside it are bridged. Because Hann windows at half overlap sum to one, the
 * burst's duration is estimated as hop &times; (sum of block amplitudes / peak amplitude). A
 * burst of at least {@link Settings#minDurationSamples()} (default 30 ms: Q.24 accepts 40 ms,
 * rejects about 20 ms) is reported once, when it ends.
 *
 * <h2>Level reference</h2>
 * 0 dBm0 is the sine of amplitude {@value #DBM0_AMPLITUDE} on the 16-bit scale: G.711 mu-law's
 * full-scale sine is +3.17 dBm0, and a full-scale sine here is amplitude 32767.
 *
 * <p>One instance per leg and direction, used by one thread. {@link #process} never allocates.
 */
public final class InbandDtmfDetector {
    /** Samples per analysis block (10 ms). */
    public static final int BLOCK = 80;
    /** Samples between block starts (5 ms). */
    public static final int HOP = BLOCK / 2;
    /** Amplitude of a 0 dBm0 sine on the 16-bit scale (G.711 mu-law: full scale is +3.17 dBm0). */
    public static final double DBM0_AMPLITUDE = 22_750.0;
    private static final double RATE = 8000.0;
    private static final double[] FREQ = {697, 770, 852, 941, 1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";
    private static final int F = FREQ.length;
    private static final int EDGE = 2;
    private static final int HIST = BLOCK + HOP;

    private static final double[] WINDOW = new double[BLOCK];
    private static final double[] COEFF = new double[F];
    private static final double[] COS = new double[F];
    private static final double[] SIN = new double[F];
    private static final double[] ADVANCE = new double[F];

    static {
        for (int n = 0; n < BLOCK; n++) {
            WINDOW[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / BLOCK);
        }
        for (int k = 0; k < F; k++) {
            double w = 2 * Math.PI * FREQ[k] / RATE;
            COS[k] = Math.cos(w);
            SIN[k] = Math.sin(w);
            COEFF[k] = 2 * COS[k];
            ADVANCE[k] = w * HOP;
        }
    }

    /**
     * Receiver limits.
     *
     * @param minLevelDbm0 lowest accepted level of each tone
     * @param normalTwistDb how far the low-group tone may exceed the high-group tone
     * @param reverseTwistDb how far the high-group tone may exceed the low-group tone
     * @param frequencyTolerance accepted relative deviation of each tone from nominal
     * @param minPurity least share of the block's energy held by the two tones
     * @param minDurationSamples shortest burst reported
     * @param maxGapBlocks failing blocks bridged inside a burst
     */
    public record Settings(double minLevelDbm0, double normalTwistDb, double reverseTwistDb,
            double frequencyTolerance, double minPurity, int minDurationSamples, int maxGapBlocks) {
        /** Defaults: -30 dBm0, twist 8/4 dB, 2.5 %, purity 0.85, 30 ms, 2 blocks. */
        public static Settings defaults() {
            return new Settings(-30, 8, 4, 0.025, 0.85, 240, 2);
        }
    }

    private final DigitListener listener;
    private final double minPower;
    private final double normalTwist;
    private final double reverseTwist;
    private final double tolerance;
    private final double minPurity;
    private final int minDuration;
    private final int maxGap;

    private final double gate;
    /** The last {@value #HIST} samples: sample s at {@code s % HIST}. */
    private final short[] hist = new short[HIST];
    /** The block being analysed, windowed. */
    private final double[] v = new double[BLOCK];
    private final double[] prevRe = new double[F];
    private final double[] prevIm = new double[F];
    private final double[] curRe = new double[F];
    private final double[] curIm = new double[F];
    private final double[] mag = new double[F];
    private boolean havePrev;
    /** The previous block was below the gate: its filter outputs are computed only if needed. */
    private boolean prevLazy;
    private int prevRow = -1;
    private int prevCol = -1;
    private long prevStart;

    private long sample;
    private int burstDigit = -1;
    private long burstStart;
    private double burstFirstAmp;
    private double burstSum;
    private double burstMax;
    private int gap;
    private int burstCount;
    private double burstHead;
    private final double[] burstTail = new double[EDGE];

    private long digits;
    private long rejectedShort;

    /** Creates a detector with {@link Settings#defaults()}. */
    public InbandDtmfDetector(DigitListener listener) {
        this(listener, Settings.defaults());
    }

    /** Creates a detector with the given limits. */
    public InbandDtmfDetector(DigitListener listener, Settings settings) {
        this.listener = Objects.requireNonNull(listener, "listener");
        double a = DBM0_AMPLITUDE * Math.pow(10, settings.minLevelDbm0() / 20);
        this.minPower = a * a / 2;
        this.normalTwist = Math.pow(10, settings.normalTwistDb() / 10);
        this.reverseTwist = Math.pow(10, settings.reverseTwistDb() / 10);
        this.tolerance = settings.frequencyTolerance();
        this.minPurity = settings.minPurity();
        this.minDuration = settings.minDurationSamples();
        this.maxGap = settings.maxGapBlocks();
        this.gate = gateEnergy(minPower, tolerance);
        reset();
    }

    /** Forgets all signal state and restarts the sample clock at 0; counters are kept. */
    public void reset() {
        Arrays.fill(hist, (short) 0);
        havePrev = false;
        prevLazy = false;
        prevRow = -1;
        prevCol = -1;
        sample = 0;
        burstDigit = -1;
        gap = 0;
    }

    /**
     * Least windowed block energy a passing block can have: by Cauchy-Schwarz a filter's
     * |X|^2 is at most BLOCK * energy, and a tone needs |X|^2 * (4 / BLOCK)^2 / hann(dev)^2 / 2
     * of at least minPower with |dev| within the tolerance. Halved as a margin for rounding.
     * About 9 dB below a tone pair at the minimum level; zero (no gate) for tolerances so wide
     * that the window's main lobe is left.
     */
    private static double gateEnergy(double minPower, double tolerance) {
        double x = tolerance * FREQ[F - 1] * BLOCK / RATE;
        if (!(x < 1.5)) {
            return 0;
        }
        double h = hann(tolerance * FREQ[F - 1]);
        return 0.5 * minPower * BLOCK * h * h / 8;
    }

    /**
     * Feeds {@code len} samples of {@code pcm} from {@code off}. Samples are only stored here;
     * each block is analysed when its last sample arrives, and skipped when its energy is
     * below what a passing block needs ({@link #gateEnergy}).
     */
    public void process(short[] pcm, int off, int len) {
        Objects.checkFromIndexSize(off, len, pcm.length);
        int i = off;
        int end = off + len;
        while (i < end) {
            int inHop = (int) (sample % HOP);
            int n = Math.min(HOP - inHop, end - i);
            // HIST is a multiple of HOP, so a hop's samples are contiguous in the ring.
            System.arraycopy(pcm, i, hist, (int) (sample % HIST), n);
            i += n;
            sample += n;
            if (inHop + n == HOP && sample >= BLOCK) {
                block(sample - BLOCK);
            }
        }
    }

    /** Ends a burst in progress (end of stream) and reports it if long enough. */
    public void flush() {
        if (burstDigit >= 0) {
            finish();
        }
    }

    /**
     * Fills {@link #v} with the Hann-windowed block starting at sample {@code start}; returns its
     * energy (two partial sums, so the additions do not wait on each other).
     */
    private double window(long start) {
        int slot = (int) (start % HIST);
        int first = Math.min(BLOCK, HIST - slot);
        double[] out = v;
        for (int n = 0; n < first; n++) {
            out[n] = hist[slot + n] * WINDOW[n];
        }
        for (int n = first; n < BLOCK; n++) {
            out[n] = hist[n - first] * WINDOW[n];
        }
        double e0 = 0;
        double e1 = 0;
        for (int n = 0; n < BLOCK; n += 2) {
            e0 += out[n] * out[n];
            e1 += out[n + 1] * out[n + 1];
        }
        return e0 + e1;
    }

    /**
     * Runs the eight Goertzel filters over {@link #v} in one pass: eight independent recurrences
     * (fused multiply-add) keep both floating-point units busy instead of waiting on one chain.
     */
    private void goertzel() {
        double[] in = v;
        double c0 = COEFF[0];
        double c1 = COEFF[1];
        double c2 = COEFF[2];
        double c3 = COEFF[3];
        double c4 = COEFF[4];
        double c5 = COEFF[5];
        double c6 = COEFF[6];
        double c7 = COEFF[7];
        double p0 = 0;
        double q0 = 0;
        double p1 = 0;
        double q1 = 0;
        double p2 = 0;
        double q2 = 0;
        double p3 = 0;
        double q3 = 0;
        double p4 = 0;
        double q4 = 0;
        double p5 = 0;
        double q5 = 0;
        double p6 = 0;
        double q6 = 0;
        double p7 = 0;
        double q7 = 0;
        for (int n = 0; n < BLOCK; n++) {
            double x = in[n];
            double t0 = Math.fma(c0, p0, x) - q0;
            double t1 = Math.fma(c1, p1, x) - q1;
            double t2 = Math.fma(c2, p2, x) - q2;
            double t3 = Math.fma(c3, p3, x) - q3;
            double t4 = Math.fma(c4, p4, x) - q4;
            double t5 = Math.fma(c5, p5, x) - q5;
            double t6 = Math.fma(c6, p6, x) - q6;
            double t7 = Math.fma(c7, p7, x) - q7;
            q0 = p0;
            q1 = p1;
            q2 = p2;
            q3 = p3;
            q4 = p4;
            q5 = p5;
            q6 = p6;
            q7 = p7;
            p0 = t0;
            p1 = t1;
            p2 = t2;
            p3 = t3;
            p4 = t4;
            p5 = t5;
            p6 = t6;
            p7 = t7;
        }
        output(0, p0, q0);
        output(1, p1, q1);
        output(2, p2, q2);
        output(3, p3, q3);
        output(4, p4, q4);
        output(5, p5, q5);
        output(6, p6, q6);
        output(7, p7, q7);
    }

    private void output(int k, double s1, double s2) {
        double re = s1 - COS[k] * s2;
        double im = SIN[k] * s2;
        curRe[k] = re;
        curIm[k] = im;
        mag[k] = re * re + im * im;
    }

    private int strongestRow() {
        int row = 0;
        for (int k = 1; k < 4; k++) {
            if (mag[k] > mag[row]) {
                row = k;
            }
        }
        return row;
    }

    private int strongestCol() {
        int col = 4;
        for (int k = 5; k < F; k++) {
            if (mag[k] > mag[col]) {
                col = k;
            }
        }
        return col;
    }

    private void block(long start) {
        double e = window(start);
        if (e < gate) {
            // Cannot pass; its filter outputs matter only as the next block's predecessor.
            onBlock(false, 0, 0, 0, start);
            havePrev = true;
            prevLazy = true;
            prevStart = start;
            return;
        }
        if (prevLazy) {
            window(start - HOP);
            goertzel();
            prevRow = strongestRow();
            prevCol = strongestCol();
            System.arraycopy(curRe, 0, prevRe, 0, F);
            System.arraycopy(curIm, 0, prevIm, 0, F);
            prevLazy = false;
            window(start);
        }
        goertzel();
        int row = strongestRow();
        int col = strongestCol();

        boolean valid = false;
        double ampRow2 = 0;
        double ampCol2 = 0;
        double prevAmp2 = 0;
        if (havePrev) {
            double devRow = deviation(row);
            double devCol = deviation(col);
            double scale = 4.0 / BLOCK;
            double gRow = scale * scale / square(hann(devRow));
            double gCol = scale * scale / square(hann(devCol));
            ampRow2 = mag[row] * gRow;
            ampCol2 = mag[col] * gCol;
            if (row == prevRow && col == prevCol) {
                prevAmp2 = (square(prevRe[row]) + square(prevIm[row])) * gRow
                        + (square(prevRe[col]) + square(prevIm[col])) * gCol;
            }
            double pRow = ampRow2 / 2;
            double pCol = ampCol2 / 2;
            valid = pRow >= minPower && pCol >= minPower
                    && pRow <= pCol * normalTwist && pCol <= pRow * reverseTwist
                    && Math.abs(devRow) <= tolerance * FREQ[row]
                    && Math.abs(devCol) <= tolerance * FREQ[col]
                    && (3.0 * BLOCK / 16) * (ampRow2 + ampCol2) >= minPurity * e;
        }
        System.arraycopy(curRe, 0, prevRe, 0, F);
        System.arraycopy(curIm, 0, prevIm, 0, F);
        havePrev = true;
        onBlock(valid, row * 4 + col - 4, Math.sqrt(ampRow2 + ampCol2), Math.sqrt(prevAmp2), start);
        prevRow = row;
        prevCol = col;
        prevStart = start;
    }

    /**
     * Measured minus nominal frequency of filter k in Hz: the output of a filter fed a tone of
     * angular frequency w advances by w * HOP between blocks HOP samples apart.
     */
    private double deviation(int k) {
        double re = curRe[k] * prevRe[k] + curIm[k] * prevIm[k];
        double im = curIm[k] * prevRe[k] - curRe[k] * prevIm[k];
        double d = Math.atan2(im, re) - ADVANCE[k];
        d -= 2 * Math.PI * Math.floor((d + Math.PI) / (2 * Math.PI));
        return d * RATE / (2 * Math.PI * HOP);
    }

    private static double square(double v) {
        return v * v;
    }

    /** Hann window response at a deviation of {@code dev} Hz, relative to its peak. */
    private static double hann(double dev) {
        double x = Math.abs(dev) * BLOCK / RATE;
        if (x < 1e-9) {
            return 1;
        }
        if (Math.abs(1 - x) < 1e-9) {
            return 0.5;
        }
        return Math.sin(Math.PI * x) / (Math.PI * x * (1 - x * x));
    }

    private void onBlock(boolean valid, int digit, double amp, double prevAmp, long start) {
        if (valid) {
            if (burstDigit == digit) {
                add(amp);
                gap = 0;
                return;
            }
            if (burstDigit >= 0) {
                finish();
            }
            burstDigit = digit;
            gap = 0;
            burstSum = 0;
            burstMax = 0;
            burstCount = 0;
            burstHead = 0;
            if (prevAmp > 0) {
                burstStart = prevStart;
                burstFirstAmp = prevAmp;
                add(prevAmp);
            } else {
                burstStart = start;
                burstFirstAmp = amp;
            }
            add(amp);
        } else if (burstDigit >= 0 && ++gap > maxGap) {
            finish();
        }
    }

    private void add(double amp) {
        burstSum += amp;
        burstMax = Math.max(burstMax, amp);
        if (burstCount < EDGE) {
            burstHead += amp;
        }
        burstTail[burstCount % EDGE] = amp;
        burstCount++;
    }

    /**
     * Duration from the Hann windows' constant overlap-add: hop * sum / amplitude. The
     * amplitude is the mean of the burst's interior blocks (edges hold partial tone); short
     * bursts use the peak.
     */
    private void finish() {
        double reference = burstMax;
        if (burstCount >= 3 * EDGE) {
            double tail = 0;
            for (double a : burstTail) {
                tail += a;
            }
            reference = (burstSum - burstHead - tail) / (burstCount - 2 * EDGE);
        }
        long duration = Math.round(HOP * burstSum / reference);
        if (duration >= minDuration) {
            long start = burstStart
                    + Math.round(BLOCK * (1 - Math.min(1, burstFirstAmp / reference)));
            digits++;
            listener.onDigit(KEYS.charAt(burstDigit), start, duration);
        } else {
            rejectedShort++;
        }
        burstDigit = -1;
        gap = 0;
    }

    /** Samples processed since creation or the last {@link #reset()}. */
    public long samples() {
        return sample;
    }

    /** Digits reported. */
    public long digits() {
        return digits;
    }

    /** Bursts that passed every check but were too short to report. */
    public long rejectedShort() {
        return rejectedShort;
    }
}
