package org.icgw.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Coverage-guided fuzzing of the RTP and RTCP checks a datagram passes before anything reads it.
 * In the test run only the seeds under {@code RtpPacketFuzzTestInputs/} run; {@code deploy/fuzz.sh
 * rtp} (or {@code rtcp}) fuzzes. Neither check may throw; what each accepts is checked against the
 * RFC 3550 arithmetic the packet's own fields give.
 */
class RtpPacketFuzzTest {

    /** Bytes before and after the packet, so that a read outside its view shows. */
    private static final int PREFIX = 3;
    private static final int SUFFIX = 2;

    /**
     * Both parse paths (Netty buffer, byte array) give the same verdict and the same view; a valid
     * packet's header, payload and padding add up to its length exactly.
     */
    @FuzzTest
    void rtp(byte[] packet) {
        int length = packet.length;
        byte[] framed = new byte[PREFIX + length + SUFFIX];
        System.arraycopy(packet, 0, framed, PREFIX, length);
        java.util.Arrays.fill(framed, 0, PREFIX, (byte) 0xA5);
        java.util.Arrays.fill(framed, PREFIX + length, framed.length, (byte) 0x5A);

        RtpPacket fromArray = new RtpPacket();
        RtpPacket.Verdict arrayVerdict = fromArray.parse(framed, PREFIX, length);

        ByteBuf buf = Unpooled.wrappedBuffer(framed).setIndex(PREFIX, PREFIX + length);
        RtpPacket fromBuf = new RtpPacket();
        RtpPacket.Verdict bufVerdict = fromBuf.parse(buf);

        assertThat(bufVerdict).isEqualTo(arrayVerdict);
        assertThat(buf.readerIndex()).isEqualTo(PREFIX);
        assertThat(buf.writerIndex()).isEqualTo(PREFIX + length);
        if (!arrayVerdict.isValid()) {
            return;
        }
        for (RtpPacket view : new RtpPacket[] {fromArray, fromBuf}) {
            int b0 = packet[0] & 0xFF;
            assertThat(b0 >>> 6).isEqualTo(RtpPacket.VERSION);
            int header = RtpPacket.FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
            if ((b0 & 0x10) != 0) {
                header += 4 + 4 * (((packet[header + 2] & 0xFF) << 8) | (packet[header + 3] & 0xFF));
            }
            int padding = (b0 & 0x20) != 0 ? packet[length - 1] & 0xFF : 0;
            assertThat(view.headerLength()).isEqualTo(header);
            assertThat(view.paddingLength()).isEqualTo(padding);
            assertThat(view.payloadOffset()).isEqualTo(PREFIX + header);
            assertThat(view.payloadLength()).isNotNegative();
            assertThat(header + view.payloadLength() + padding).isEqualTo(length);
            assertThat(view.payloadType()).isBetween(0, 127);
            assertThat(view.sequenceNumber()).isBetween(0, 0xFFFF);
            assertThat(view.timestamp()).isBetween(0L, 0xFFFF_FFFFL);
            assertThat(view.ssrc()).isBetween(0L, 0xFFFF_FFFFL);
        }
    }

    /**
     * The compound check agrees with a walk of the packet's length fields (RFC 3550 section 6.4
     * and appendix A.2), does not move the buffer's indices, and does not depend on where in the
     * buffer the packet starts.
     */
    @FuzzTest
    void rtcp(byte[] packet) {
        byte[] framed = new byte[PREFIX + packet.length + SUFFIX];
        System.arraycopy(packet, 0, framed, PREFIX, packet.length);
        ByteBuf buf = Unpooled.wrappedBuffer(framed).setIndex(PREFIX, PREFIX + packet.length);

        RtcpPacket.Verdict framedVerdict = RtcpPacket.validate(buf);
        RtcpPacket.Verdict plainVerdict = RtcpPacket.validate(Unpooled.wrappedBuffer(packet));

        assertThat(framedVerdict).isEqualTo(plainVerdict);
        assertThat(buf.readerIndex()).isEqualTo(PREFIX);
        assertThat(buf.writerIndex()).isEqualTo(PREFIX + packet.length);
        assertThat(framedVerdict.isValid()).isEqualTo(wellFormedCompound(packet));
    }

    /** The reference: version 2 throughout, SR or RR first, padding only last, lengths adding up. */
    private static boolean wellFormedCompound(byte[] p) {
        if (p.length < RtcpPacket.HEADER_LENGTH + 4) {
            return false;
        }
        int first = p[1] & 0xFF;
        if (first != RtcpPacket.TYPE_SR && first != RtcpPacket.TYPE_RR) {
            return false;
        }
        long at = 0;
        while (at < p.length) {
            if (p.length - at < RtcpPacket.HEADER_LENGTH) {
                return false;
            }
            int b0 = p[(int) at] & 0xFF;
            long words = (((p[(int) at + 2] & 0xFF) << 8) | (p[(int) at + 3] & 0xFF)) + 1L;
            long next = at + 4 * words;
            if ((b0 >>> 6) != 2 || next > p.length || ((b0 & 0x20) != 0 && next != p.length)) {
                return false;
            }
            at = next;
        }
        return true;
    }
}
