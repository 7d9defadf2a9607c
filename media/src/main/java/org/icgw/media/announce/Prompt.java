package org.icgw.media.announce;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable piece of audio: 8 kHz 16-bit linear samples.
 *
 * <p>The samples are copied in and never handed out: {@link #samples()} returns a copy, and the
 * playout path reads with {@link #sampleAt(int)} or {@link #copyTo(int, short[], int, int)},
 * which do not allocate.
 */
public final class Prompt {
    /** Sample rate of every prompt. */
    public static final int SAMPLE_RATE = 8000;
    /** The prompt of no samples. */
    public static final Prompt EMPTY = new Prompt(new short[0]);

    private final short[] samples;

    private Prompt(short[] owned) {
        this.samples = owned;
    }

    /** A prompt holding a copy of {@code samples}. */
    public static Prompt of(short[] samples) {
        return new Prompt(samples.clone());
    }

    /** A prompt holding a copy of {@code len} samples of {@code samples} from {@code off}. */
    public static Prompt of(short[] samples, int off, int len) {
        Objects.checkFromIndexSize(off, len, samples.length);
        return new Prompt(Arrays.copyOfRange(samples, off, off + len));
    }

    /** {@code ms} milliseconds of silence. */
    public static Prompt silence(int ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("negative duration " + ms);
        }
        return new Prompt(new short[(int) ((long) ms * SAMPLE_RATE / 1000)]);
    }

    /** The parts one after another, e.g. "a collect call from", a name, "at", a facility. */
    public static Prompt concat(Prompt... parts) {
        int total = 0;
        for (Prompt p : parts) {
            total = Math.addExact(total, p.samples.length);
        }
        short[] out = new short[total];
        int pos = 0;
        for (Prompt p : parts) {
            System.arraycopy(p.samples, 0, out, pos, p.samples.length);
            pos += p.samples.length;
        }
        return new Prompt(out);
    }

    /** A copy of the samples. */
    public short[] samples() {
        return samples.clone();
    }

    /** Sample {@code i}, 0 &lt;= i &lt; {@link #length()}. */
    public short sampleAt(int i) {
        return samples[i];
    }

    /**
     * Copies up to {@code len} samples starting at sample {@code from} into {@code dst[off..]};
     * returns how many were copied (fewer near the end, 0 past it).
     */
    public int copyTo(int from, short[] dst, int off, int len) {
        int n = Math.max(0, Math.min(len, samples.length - from));
        System.arraycopy(samples, from, dst, off, n);
        return n;
    }

    /** Number of samples. */
    public int length() {
        return samples.length;
    }

    /** Duration in milliseconds, rounded down. */
    public long durationMillis() {
        return samples.length * 1000L / SAMPLE_RATE;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && Arrays.equals(samples, p.samples);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return "Prompt[" + samples.length + " samples, " + durationMillis() + " ms]";
    }
}
