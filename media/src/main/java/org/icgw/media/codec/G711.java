package org.icgw.media.codec;

/**
 * ITU-T G.711 companding: mu-law (PCMU, RTP payload type 0) and A-law (PCMA, payload type 8).
 *
 * <p>Pure functions on caller-owned buffers; nothing on the per-sample path allocates. Decoding
 * uses 256-entry tables built once; encoding follows the segment search of G.711 section 2/3,
 * producing the 14-bit (mu-law) and 13-bit (A-law) code words of the recommendation's tables,
 * scaled to and from 16-bit linear PCM.
 */
public final class G711 {
    /** RFC 3551 section 6: static payload type of PCMU. */
    public static final int PAYLOAD_PCMU = 0;
    /** RFC 3551 section 6: static payload type of PCMA. */
    public static final int PAYLOAD_PCMA = 8;

    private static final int ULAW_BIAS = 0x84;
    private static final int ULAW_CLIP = 32635;

    private static final short[] ULAW_DECODE = new short[256];
    private static final short[] ALAW_DECODE = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_DECODE[i] = decodeUlawSlow((byte) i);
            ALAW_DECODE[i] = decodeAlawSlow((byte) i);
        }
    }

    private G711() {
    }

    /** Decodes one mu-law code word to 16-bit linear PCM. */
    public static short ulawToLinear(byte ulaw) {
        return ULAW_DECODE[ulaw & 0xFF];
    }

    /** Decodes one A-law code word to 16-bit linear PCM. */
    public static short alawToLinear(byte alaw) {
        return ALAW_DECODE[alaw & 0xFF];
    }

    /** Encodes one 16-bit linear sample to mu-law (G.711 table 2). */
    public static byte linearToUlaw(int pcm) {
        int sign = (pcm >> 8) & 0x80;
        if (sign != 0) {
            pcm = -pcm;
        }
        if (pcm > ULAW_CLIP) {
            pcm = ULAW_CLIP;
        }
        pcm += ULAW_BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (pcm & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (pcm >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** Encodes one 16-bit linear sample to A-law (G.711 table 1). */
    public static byte linearToAlaw(int pcm) {
        int sign;
        if (pcm >= 0) {
            sign = 0x80;
        } else {
            sign = 0;
            pcm = -pcm - 1;
        }
        if (pcm > 32767) {
            pcm = 32767;
        }
        int code;
        if (pcm < 256) {
            code = pcm >> 4;
        } else {
            int exponent = 1;
            for (int v = pcm >> 8; v > 1 && exponent < 7; v >>= 1) {
                exponent++;
            }
            code = (exponent << 4) | ((pcm >> (exponent + 3)) & 0x0F);
        }
        return (byte) ((sign | code) ^ 0x55);
    }

    /** Decodes {@code length} mu-law bytes from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void decodeUlaw(byte[] src, int srcOff, short[] dst, int dstOff, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] = ULAW_DECODE[src[srcOff + i] & 0xFF];
        }
    }

    /** Decodes {@code length} A-law bytes from {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public static void decodeAlaw(byte[] src, int srcOff, short[] dst, int dstOff, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] = ALAW_DECODE[src[srcOff + i] & 0xFF];
        }
    }

    /** Encodes {@code length} linear samples to mu-law. */
    public static void encodeUlaw(short[] src, int srcOff, byte[] dst, int dstOff, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] = linearToUlaw(src[srcOff + i]);
        }
    }

    /** Encodes {@code length} linear samples to A-law. */
    public static void encodeAlaw(short[] src, int srcOff, byte[] dst, int dstOff, int length) {
        for (int i = 0; i < length; i++) {
            dst[dstOff + i] = linearToAlaw(src[srcOff + i]);
        }
    }

    /** Transcodes one mu-law code word to A-law through the linear domain. */
    public static byte ulawToAlaw(byte ulaw) {
        return linearToAlaw(ulawToLinear(ulaw));
    }

    /** Transcodes one A-law code word to mu-law through the linear domain. */
    public static byte alawToUlaw(byte alaw) {
        return linearToUlaw(alawToLinear(alaw));
    }

    private static short decodeUlawSlow(byte ulaw) {
        int u = ~ulaw & 0xFF;
        int exponent = (u >> 4) & 0x07;
        int mantissa = u & 0x0F;
        int magnitude = ((mantissa << 3) + ULAW_BIAS) << exponent;
        magnitude -= ULAW_BIAS;
        return (short) ((u & 0x80) != 0 ? -magnitude : magnitude);
    }

    private static short decodeAlawSlow(byte alaw) {
        int a = (alaw ^ 0x55) & 0xFF;
        int exponent = (a >> 4) & 0x07;
        int mantissa = a & 0x0F;
        int magnitude;
        if (exponent == 0) {
            magnitude = (mantissa << 4) + 8;
        } else {
            magnitude = ((mantissa << 4) + 0x108) << (exponent - 1);
        }
        return (short) ((a & 0x80) != 0 ? magnitude : -magnitude);
    }
}
