package org.icgw.media;

import org.icgw.media.codec.G711;

/**
 * Lookup tables over {@link G711}'s pure functions, built once, for the per-packet path:
 * transcoding one code word to the other law, and encoding every 16-bit sample (64 KiB per law),
 * so encoding a frame is one array read per sample with results identical to {@link G711}.
 */
final class G711Tables {
    static final byte[] ULAW_TO_ALAW = new byte[256];
    static final byte[] ALAW_TO_ULAW = new byte[256];
    private static final byte[] LINEAR_TO_ULAW = new byte[65536];
    private static final byte[] LINEAR_TO_ALAW = new byte[65536];

    static {
        for (int i = 0; i < 256; i++) {
            ULAW_TO_ALAW[i] = G711.ulawToAlaw((byte) i);
            ALAW_TO_ULAW[i] = G711.alawToUlaw((byte) i);
        }
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            LINEAR_TO_ULAW[s & 0xFFFF] = G711.linearToUlaw(s);
            LINEAR_TO_ALAW[s & 0xFFFF] = G711.linearToAlaw(s);
        }
    }

    private G711Tables() {
    }

    /** Encodes {@code len} samples to the law of {@code payloadType} (0 PCMU, 8 PCMA). */
    static void encode(int payloadType, short[] pcm, byte[] dst, int len) {
        byte[] table = payloadType == G711.PAYLOAD_PCMU ? LINEAR_TO_ULAW : LINEAR_TO_ALAW;
        for (int i = 0; i < len; i++) {
            dst[i] = table[pcm[i] & 0xFFFF];
        }
    }

    /** Decodes {@code len} code words of the law of {@code payloadType}. */
    static void decode(int payloadType, byte[] src, short[] pcm, int len) {
        if (payloadType == G711.PAYLOAD_PCMU) {
            G711.decodeUlaw(src, 0, pcm, 0, len);
        } else {
            G711.decodeAlaw(src, 0, pcm, 0, len);
        }
    }

    /** Transcodes {@code len} code words in place from the law of {@code fromPayloadType}. */
    static void transcode(int fromPayloadType, byte[] data, int len) {
        byte[] table = fromPayloadType == G711.PAYLOAD_PCMU ? ULAW_TO_ALAW : ALAW_TO_ULAW;
        for (int i = 0; i < len; i++) {
            data[i] = table[data[i] & 0xFF];
        }
    }
}
