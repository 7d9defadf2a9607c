package org.icgw.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Minimal validation of a compound RTCP packet (RFC 3550 section 6.1 and the header validity
 * checks of appendix A.2) before it is passed through between a session's legs.
 */
public final class RtcpPacket {
    /** RFC 3550 section 6.4: every RTCP packet begins with a 4-octet common header. */
    public static final int HEADER_LENGTH = 4;
    /** RFC 3550 section 6.4.1: sender report. */
    public static final int TYPE_SR = 200;
    /** RFC 3550 section 6.4.2: receiver report. */
    public static final int TYPE_RR = 201;

    /** Outcome of {@link #validate(ByteBuf)}. */
    public enum Verdict {
        /** A valid compound packet. */
        VALID,
        /** Shorter than an RTCP common header plus SSRC. */
        SHORT,
        /** A packet in the compound with a version other than 2. */
        BAD_VERSION,
        /** First packet neither SR nor RR (RFC 3550 section 6.1). */
        BAD_FIRST_TYPE,
        /** Padding on a packet other than the last (RFC 3550 appendix A.2). */
        BAD_PADDING,
        /** Length fields do not add up to the datagram's length. */
        BAD_LENGTH;

        /** Whether the packet was accepted. */
        public boolean isValid() {
            return this == VALID;
        }

        /** Short packets and malformed ones are counted apart. */
        public DropReason dropReason() {
            return this == SHORT ? DropReason.SHORT : DropReason.MALFORMED;
        }
    }

    private RtcpPacket() {
    }

    /** Validates the readable bytes of {@code buf} without moving its indices. */
    public static Verdict validate(ByteBuf buf) {
        int index = buf.readerIndex();
        int end = buf.writerIndex();
        if (end - index < HEADER_LENGTH + 4) {
            return Verdict.SHORT;
        }
        int first = buf.getUnsignedByte(index + 1);
        if (first != TYPE_SR && first != TYPE_RR) {
            return Verdict.BAD_FIRST_TYPE;
        }
        while (index < end) {
            if (end - index < HEADER_LENGTH) {
                return Verdict.BAD_LENGTH;
            }
            int b0 = buf.getUnsignedByte(index);
            if ((b0 >>> 6) != RtpPacket.VERSION) {
                return Verdict.BAD_VERSION;
            }
            // RFC 3550 6.4.1: length in 32-bit words minus one, header included.
            int next = index + 4 * (buf.getUnsignedShort(index + 2) + 1);
            if (next > end) {
                return Verdict.BAD_LENGTH;
            }
            if ((b0 & 0x20) != 0 && next != end) {
                return Verdict.BAD_PADDING;
            }
            index = next;
        }
        return Verdict.VALID;
    }
}
