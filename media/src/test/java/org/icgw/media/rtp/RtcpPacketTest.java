package org.icgw.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtcpPacketTest {
    /** An empty receiver report (RFC 3550 6.4.2): header + SSRC, length 1. */
    private static final int[] RR = {0x80, 201, 0, 1, 1, 2, 3, 4};
    /** An SDES packet with one chunk of one word: length 2 (RFC 3550 6.5). */
    private static final int[] SDES = {0x81, 202, 0, 2, 1, 2, 3, 4, 0, 0, 0, 0};

    private static RtcpPacket.Verdict check(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        byte[] bytes = new byte[n];
        int i = 0;
        for (int[] p : parts) {
            for (int v : p) {
                bytes[i++] = (byte) v;
            }
        }
        return RtcpPacket.validate(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void acceptsCompoundPacketsStartingWithAReport() {
        assertThat(check(RR)).isEqualTo(RtcpPacket.Verdict.VALID);
        assertThat(check(RR, SDES)).isEqualTo(RtcpPacket.Verdict.VALID);
    }

    @Test
    void rejectsShortPackets() {
        assertThat(check(new int[] {0x80, 201, 0, 0})).isEqualTo(RtcpPacket.Verdict.SHORT);
    }

    @Test
    void rejectsAFirstPacketOtherThanSrOrRr() {
        assertThat(check(SDES, RR)).isEqualTo(RtcpPacket.Verdict.BAD_FIRST_TYPE);
    }

    @Test
    void rejectsWrongVersionsAnywhere() {
        assertThat(check(new int[] {0x40, 201, 0, 1, 1, 2, 3, 4})).isEqualTo(RtcpPacket.Verdict.BAD_VERSION);
        assertThat(check(RR, new int[] {0x41, 202, 0, 2, 1, 2, 3, 4, 0, 0, 0, 0}))
                .isEqualTo(RtcpPacket.Verdict.BAD_VERSION);
    }

    @Test
    void rejectsLengthsThatDoNotAddUp() {
        assertThat(check(new int[] {0x80, 201, 0, 2, 1, 2, 3, 4})).isEqualTo(RtcpPacket.Verdict.BAD_LENGTH);
        assertThat(check(RR, new int[] {0x81, 202})).isEqualTo(RtcpPacket.Verdict.BAD_LENGTH);
    }

    @Test
    void rejectsPaddingBeforeTheLastPacket() {
        assertThat(check(new int[] {0xA0, 201, 0, 1, 1, 2, 3, 4}, SDES)).isEqualTo(RtcpPacket.Verdict.BAD_PADDING);
        assertThat(check(RR, new int[] {0xA1, 202, 0, 2, 1, 2, 3, 4, 0, 0, 0, 4}))
                .isEqualTo(RtcpPacket.Verdict.VALID);
    }
}
