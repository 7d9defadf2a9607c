package org.icgw.media;

import java.util.Arrays;
import java.util.Random;

/** Test signal builder: 8 kHz 16-bit PCM, levels in dBm0 (0 dBm0 = sine amplitude 22 750). */
public final class Signals {
    public static final double RATE = 8000;
    public static final double DBM0 = 22_750;
    private static final double[] ROWS = {697, 770, 852, 941};
    private static final double[] COLS = {1209, 1336, 1477, 1633};
    private static final String KEYS = "123A456B789C*0#D";

    private double[] buf = new double[8000];
    private int len;
    private double phase1;
    private double phase2;

    public static double amplitude(double dbm0) {
        return DBM0 * Math.pow(10, dbm0 / 20);
    }

    public static double rowFreq(char key) {
        return ROWS[KEYS.indexOf(key) / 4];
    }

    public static double colFreq(char key) {
        return COLS[KEYS.indexOf(key) % 4];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    /** Appends silence. */
    public Signals silence(double ms) {
        int n = (int) Math.round(ms * RATE / 1000);
        ensure(n);
        len += n;
        return this;
    }

    /** Appends {@code n} samples of silence. */
    public Signals silenceSamples(int n) {
        ensure(n);
        len += n;
        return this;
    }

    /** Appends the sum of two sines with the given frequencies and levels. */
    public Signals dual(double f1, double dbm1, double f2, double dbm2, double ms) {
        int n = (int) Math.round(ms * RATE / 1000);
        ensure(n);
        double a1 = amplitude(dbm1);
        double a2 = amplitude(dbm2);
        for (int i = 0; i < n; i++) {
            buf[len + i] = a1 * Math.sin(phase1) + a2 * Math.sin(phase2);
            phase1 += 2 * Math.PI * f1 / RATE;
            phase2 += 2 * Math.PI * f2 / RATE;
        }
        len += n;
        return this;
    }

    /** Appends a DTMF key at the given level per tone, frequencies scaled by (1 + offset). */
    public Signals key(char key, double dbm0, double rowOffset, double colOffset, double ms) {
        return dual(rowFreq(key) * (1 + rowOffset), dbm0, colFreq(key) * (1 + colOffset), dbm0, ms);
    }

    /** Appends a DTMF key at the given level, nominal frequencies. */
    public Signals key(char key, double dbm0, double ms) {
        return key(key, dbm0, 0, 0, ms);
    }

    /** Appends each key of {@code keys} for {@code onMs}, followed by {@code offMs} of silence. */
    public Signals keys(String keys, double dbm0, double onMs, double offMs) {
        for (char k : keys.toCharArray()) {
            key(k, dbm0, onMs).silence(offMs);
        }
        return this;
    }

    /** Adds white Gaussian noise of the given power (dBm0) over everything built so far. */
    public Signals noise(double dbm0, long seed) {
        Random r = new Random(seed);
        double sigma = amplitude(dbm0) / Math.sqrt(2);
        for (int i = 0; i < len; i++) {
            buf[i] += sigma * r.nextGaussian();
        }
        return this;
    }

    /** Samples built so far, rounded and clipped to 16 bits. */
    public short[] pcm() {
        short[] out = new short[len];
        for (int i = 0; i < len; i++) {
            out[i] = (short) Math.max(-32768, Math.min(32767, Math.round(buf[i])));
        }
        return out;
    }

    public int length() {
        return len;
    }
}
