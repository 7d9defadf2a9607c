package org.icgw.media.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * G.711 against the recommendation's tables. G.711 gives mu-law outputs on a 14-bit scale and
 * A-law outputs on a 13-bit scale; this codec works on 16 bits, so mu-law values are the table's
 * times 4 and A-law values the table's times 8.
 */
class G711Test {

    @ParameterizedTest(name = "mu-law {0} -> {1} (table value {2})")
    @CsvSource({
        "0x00, -32124, -8031",
        "0x7F, 0, 0",
        "0x80, 32124, 8031",
        "0xFF, 0, 0",
        "0xFE, 8, 2",
        "0xF0, 120, 30",
        "0xEF, 132, 33",
        "0xE0, 372, 93",
        "0xDF, 396, 99",
        "0x8F, 16764, 4191",
        "0x70, -120, -30",
        "0x0F, -16764, -4191",
    })
    void muLawDecodeTable(String code, int linear, int table14) {
        byte c = (byte) Integer.parseInt(code.substring(2), 16);
        assertThat(G711.ulawToLinear(c)).isEqualTo((short) linear);
        assertThat(linear).isEqualTo(table14 * 4);
    }

    @ParameterizedTest(name = "A-law {0} -> {1} (table value {2})")
    @CsvSource({
        "0xD5, 8, 1",
        "0x55, -8, -1",
        "0xAA, 32256, 4032",
        "0x2A, -32256, -4032",
        "0xD4, 24, 3",
        "0xDA, 248, 31",
        "0xC5, 264, 33",
        "0xF5, 528, 66",
        "0x80, 5504, 688",
        "0x5A, -248, -31",
    })
    void aLawDecodeTable(String code, int linear, int table13) {
        byte c = (byte) Integer.parseInt(code.substring(2), 16);
        assertThat(G711.alawToLinear(c)).isEqualTo((short) linear);
        assertThat(linear).isEqualTo(table13 * 8);
    }

    @Test
    void muLawSegmentBoundaries() {
        // G.711 table 2a decision values 31, 95, ..., 4063 (14-bit), times 4.
        int[] bounds = {124, 380, 892, 1916, 3964, 8060, 16252};
        for (int e = 1; e <= 7; e++) {
            int b = bounds[e - 1];
            assertThat(G711.linearToUlaw(b - 1) & 0xFF).isEqualTo(~(((e - 1) << 4) | 0x0F) & 0xFF);
            assertThat(G711.linearToUlaw(b) & 0xFF).isEqualTo(~(e << 4) & 0xFF);
            assertThat(G711.linearToUlaw(-b) & 0xFF).isEqualTo(~(0x80 | (e << 4)) & 0xFF);
        }
        assertThat(G711.linearToUlaw(32767) & 0xFF).isEqualTo(0x80);
        assertThat(G711.linearToUlaw(-32768) & 0xFF).isEqualTo(0x00);
        assertThat(G711.linearToUlaw(0) & 0xFF).isEqualTo(0xFF);
        assertThat(G711.linearToUlaw(-1) & 0xFF).isEqualTo(0x7F);
    }

    @Test
    void aLawSegmentBoundaries() {
        // G.711 table 1a decision values 32, 64, ..., 2048 (13-bit), times 8.
        int[] bounds = {256, 512, 1024, 2048, 4096, 8192, 16384};
        for (int e = 1; e <= 7; e++) {
            int b = bounds[e - 1];
            assertThat(G711.linearToAlaw(b - 1) & 0xFF).isEqualTo((0x80 | ((e - 1) << 4) | 0x0F) ^ 0x55);
            assertThat(G711.linearToAlaw(b) & 0xFF).isEqualTo((0x80 | (e << 4)) ^ 0x55);
            assertThat(G711.linearToAlaw(-b - 1) & 0xFF).isEqualTo((e << 4) ^ 0x55);
        }
        assertThat(G711.linearToAlaw(32767) & 0xFF).isEqualTo(0xAA);
        assertThat(G711.linearToAlaw(-32768) & 0xFF).isEqualTo(0x2A);
        assertThat(G711.linearToAlaw(0) & 0xFF).isEqualTo(0xD5);
        assertThat(G711.linearToAlaw(-1) & 0xFF).isEqualTo(0x55);
    }

    @Test
    void roundTripEveryCodeWord() {
        for (int c = 0; c < 256; c++) {
            byte code = (byte) c;
            int expectedUlaw = c == 0x7F ? 0xFF : c; // mu-law negative zero re-encodes as +0
            assertThat(G711.linearToUlaw(G711.ulawToLinear(code)) & 0xFF).as("mu %02x", c)
                    .isEqualTo(expectedUlaw);
            assertThat(G711.linearToAlaw(G711.alawToLinear(code)) & 0xFF).as("A %02x", c)
                    .isEqualTo(c);
        }
    }

    /**
     * G.711's quantiser: every input lies inside the decision interval of the code it gets,
     * whose reconstruction value is the interval's midpoint (so the error is at most half the
     * segment's step), and the mapping is monotonic. Inputs beyond the last decision value clip.
     */
    @Test
    void everySixteenBitValueEncodesIntoItsDecisionInterval() {
        int lastMu = Integer.MIN_VALUE;
        int lastA = Integer.MIN_VALUE;
        for (int x = Short.MIN_VALUE; x <= Short.MAX_VALUE; x++) {
            byte mu = G711.linearToUlaw(x);
            int rMu = G711.ulawToLinear(mu);
            int stepMu = 8 << ((~mu >> 4) & 7);
            if (Math.abs(x) <= 32124 + 512) {
                assertThat(Math.abs(rMu - x)).as("mu %d", x).isLessThanOrEqualTo(stepMu / 2);
            }
            assertThat(rMu).as("mu monotonic at %d", x).isGreaterThanOrEqualTo(lastMu);
            lastMu = rMu;

            byte al = G711.linearToAlaw(x);
            int rA = G711.alawToLinear(al);
            int e = ((al ^ 0x55) >> 4) & 7;
            int stepA = e == 0 ? 16 : 16 << (e - 1);
            if (Math.abs(x) <= 32256 + 512) {
                assertThat(Math.abs(rA - x)).as("A %d", x).isLessThanOrEqualTo(stepA / 2);
            }
            assertThat(rA).as("A monotonic at %d", x).isGreaterThanOrEqualTo(lastA);
            lastA = rA;
        }
    }

    @Test
    void decodeTablesAreOddSymmetric() {
        for (int c = 0; c < 128; c++) {
            assertThat(G711.ulawToLinear((byte) c)).isEqualTo((short) -G711.ulawToLinear((byte) (c | 0x80)));
            assertThat(G711.alawToLinear((byte) c)).isEqualTo((short) -G711.alawToLinear((byte) (c | 0x80)));
        }
    }

    @Test
    void bufferFunctionsAndTranscoding() {
        short[] pcm = {0, 1000, -1000, 32767, -32768, 12345};
        byte[] u = new byte[8];
        byte[] al = new byte[8];
        G711.encodeUlaw(pcm, 0, u, 2, pcm.length);
        G711.encodeAlaw(pcm, 0, al, 2, pcm.length);
        short[] back = new short[pcm.length + 1];
        G711.decodeUlaw(u, 2, back, 1, pcm.length);
        for (int i = 0; i < pcm.length; i++) {
            assertThat(back[i + 1]).isEqualTo(G711.ulawToLinear(G711.linearToUlaw(pcm[i])));
            assertThat(G711.alawToUlaw(al[i + 2])).isEqualTo(G711.linearToUlaw(G711.alawToLinear(al[i + 2])));
            assertThat(G711.ulawToAlaw(u[i + 2])).isEqualTo(G711.linearToAlaw(G711.ulawToLinear(u[i + 2])));
        }
        G711.decodeAlaw(al, 2, back, 0, pcm.length);
        assertThat(back[3]).isEqualTo((short) 32256);
    }
}
