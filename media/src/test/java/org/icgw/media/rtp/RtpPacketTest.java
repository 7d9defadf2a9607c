package org.icgw.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class RtpPacketTest {
    private final RtpPacket packet = new RtpPacket();

    /** V=2, P, X, CC, M, PT, seq, ts, ssrc, then {@code rest}. */
    private static byte[] packet(int b0, int b1, int seq, long ts, long ssrc, int... rest) {
        byte[] p = new byte[12 + rest.length];
        p[0] = (byte) b0;
        p[1] = (byte) b1;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        for (int i = 0; i < rest.length; i++) {
            p[12 + i] = (byte) rest[i];
        }
        return p;
    }

    private RtpPacket.Verdict both(byte[] p) {
        RtpPacket.Verdict fromArray = packet.parse(p, 0, p.length);
        // The same bytes inside a larger buffer, at a non-zero reader index.
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(new byte[] {9, 9, 9});
        buf.writeBytes(p);
        buf.readerIndex(3);
        RtpPacket.Verdict fromBuf = packet.parse(buf);
        assertThat(fromBuf).isEqualTo(fromArray);
        assertThat(buf.readerIndex()).isEqualTo(3);
        return fromBuf;
    }

    @Test
    void parsesTheFixedHeader() {
        byte[] p = packet(0x80, 0x80 | 8, 0xBEEF, 0xFEDCBA98L, 0x12345678L, 1, 2, 3);
        assertThat(both(p)).isEqualTo(RtpPacket.Verdict.VALID);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isEqualTo(8);
        assertThat(packet.sequenceNumber()).isEqualTo(0xBEEF);
        assertThat(packet.timestamp()).isEqualTo(0xFEDCBA98L);
        assertThat(packet.ssrc()).isEqualTo(0x12345678L);
        assertThat(packet.headerLength()).isEqualTo(12);
        assertThat(packet.payloadOffset()).isEqualTo(3 + 12);
        assertThat(packet.payloadLength()).isEqualTo(3);
    }

    @Test
    void skipsCsrcListAndExtensionAndPadding() {
        // CC=2, X=1 with a 1-word extension, P=1 with 3 padding octets; 2 payload octets.
        byte[] p = packet(0x80 | 0x20 | 0x10 | 2, 0, 1, 2, 3,
                0, 0, 0, 1, 0, 0, 0, 2,          // CSRCs
                0xBE, 0xDE, 0, 1, 7, 7, 7, 7,    // extension: profile, length 1, one word
                0x55, 0x66,                      // payload
                0, 0, 3);                        // padding, count 3
        assertThat(both(p)).isEqualTo(RtpPacket.Verdict.VALID);
        assertThat(packet.csrcCount()).isEqualTo(2);
        assertThat(packet.extension()).isTrue();
        assertThat(packet.headerLength()).isEqualTo(12 + 8 + 8);
        assertThat(packet.payloadLength()).isEqualTo(2);
        assertThat(packet.paddingLength()).isEqualTo(3);
        assertThat(p[packet.payloadOffset() - 3]).isEqualTo((byte) 0x55);
    }

    @Test
    void emptyPayloadIsValid() {
        assertThat(both(packet(0x80, 0, 1, 2, 3))).isEqualTo(RtpPacket.Verdict.VALID);
        assertThat(packet.payloadLength()).isZero();
    }

    @Test
    void rejectsShortPackets() {
        assertThat(packet.parse(new byte[11], 0, 11)).isEqualTo(RtpPacket.Verdict.SHORT);
        assertThat(packet.parse(Unpooled.EMPTY_BUFFER)).isEqualTo(RtpPacket.Verdict.SHORT);
        assertThat(RtpPacket.Verdict.SHORT.dropReason()).isEqualTo(DropReason.SHORT);
    }

    @Test
    void rejectsOtherVersions() {
        assertThat(both(packet(0x40, 0, 1, 2, 3, 1))).isEqualTo(RtpPacket.Verdict.BAD_VERSION);
        assertThat(both(packet(0xC0, 0, 1, 2, 3, 1))).isEqualTo(RtpPacket.Verdict.BAD_VERSION);
        assertThat(RtpPacket.Verdict.BAD_VERSION.dropReason()).isEqualTo(DropReason.MALFORMED);
    }

    @Test
    void rejectsCsrcListBeyondThePacket() {
        assertThat(both(packet(0x80 | 2, 0, 1, 2, 3, 0, 0, 0, 1, 0, 0, 0)))
                .isEqualTo(RtpPacket.Verdict.BAD_CSRC_COUNT);
    }

    @Test
    void rejectsExtensionBeyondThePacket() {
        assertThat(both(packet(0x90, 0, 1, 2, 3, 0xBE, 0xDE))).isEqualTo(RtpPacket.Verdict.BAD_EXTENSION);
        assertThat(both(packet(0x90, 0, 1, 2, 3, 0xBE, 0xDE, 0, 2, 1, 2, 3, 4)))
                .isEqualTo(RtpPacket.Verdict.BAD_EXTENSION);
    }

    @Test
    void rejectsBadPaddingCounts() {
        assertThat(both(packet(0xA0, 0, 1, 2, 3, 1, 2, 0))).isEqualTo(RtpPacket.Verdict.BAD_PADDING);
        assertThat(both(packet(0xA0, 0, 1, 2, 3, 1, 2, 4))).isEqualTo(RtpPacket.Verdict.BAD_PADDING);
        assertThat(both(packet(0xA0, 0, 1, 2, 3, 1, 2, 3))).isEqualTo(RtpPacket.Verdict.VALID);
        assertThat(packet.payloadLength()).isZero();
    }

    @Test
    void writesAHeaderThatParsesBack() {
        ByteBuf buf = Unpooled.buffer(14);
        RtpPacket.writeHeader(buf, 0, true, 0, 65535, 0xFFFFFFFFL, 0x80000001L);
        buf.writerIndex(14);
        assertThat(packet.parse(buf)).isEqualTo(RtpPacket.Verdict.VALID);
        assertThat(packet.marker()).isTrue();
        assertThat(packet.payloadType()).isZero();
        assertThat(packet.sequenceNumber()).isEqualTo(65535);
        assertThat(packet.timestamp()).isEqualTo(0xFFFFFFFFL);
        assertThat(packet.ssrc()).isEqualTo(0x80000001L);
        assertThat(packet.payloadLength()).isEqualTo(2);
    }
}
