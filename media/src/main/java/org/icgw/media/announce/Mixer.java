package org.icgw.media.announce;

/**
 * Pure sample arithmetic on caller buffers: saturating mix and gain. Nothing allocates.
 */
public final class Mixer {
    private Mixer() {
    }

    /**
     * Adds {@code len} samples of {@code src} from {@code srcOff}, times {@code gain}, onto
     * {@code dst} from {@code off}, clipping each sum to 16 bits (the announcement mixed into a
     * conversation).
     */
    public static void mix(short[] dst, int off, short[] src, int srcOff, int len, float gain) {
        for (int i = 0; i < len; i++) {
            dst[off + i] = saturate(dst[off + i] + Math.round(src[srcOff + i] * gain));
        }
    }

    /** Multiplies {@code len} samples of {@code buf} from {@code off} by {@code gain}, clipping. */
    public static void scale(short[] buf, int off, int len, float gain) {
        for (int i = 0; i < len; i++) {
            buf[off + i] = saturate(Math.round(buf[off + i] * gain));
        }
    }

    /** {@code v} clipped to the 16-bit range. */
    public static short saturate(int v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v));
    }

    /** Linear gain of {@code db} decibels. */
    public static float dbToGain(double db) {
        return (float) Math.pow(10, db / 20);
    }
}
