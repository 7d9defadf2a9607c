package org.icgw.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A reusable, allocation-free view of one RTP packet (RFC 3550 section 5.1).
 *
 * <p>{@link #parse(ByteBuf)} or {@link #parse(byte[], int, int)} validates the fixed header, the
 * CSRC list, the header extension and the padding against the packet's length and, when valid,
 * fills this view's fields. The view never copies or retains the bytes: offsets refer to the
 * buffer given to the last parse. One instance belongs to one thread (a session's event loop).
 */
public final class RtpPacket {
    /** RFC 3550 section 5.1: the fixed header is 12 octets. */
    public static final int FIXED_HEADER_LENGTH = 12;
    /** RFC 3550 section 5.1: the only version defined. */
    public static final int VERSION = 2;

    /** Outcome of a parse: {@link #VALID} or the reason the packet was rejected. */
    public enum Verdict {
        /** A well-formed RTP packet. */
        VALID,
        /** Shorter than the 12-octet fixed header. */
        SHORT,
        /** Version field other than 2. */
        BAD_VERSION,
        /** The CSRC list runs past the end of the packet. */
        BAD_CSRC_COUNT,
        /** The header extension (RFC 3550 section 5.3.1) runs past the end of the packet. */
        BAD_EXTENSION,
        /** Padding bit set with a padding count of zero or larger than what follows the header. */
        BAD_PADDING;

        /** Whether the packet was accepted. */
        public boolean isValid() {
            return this == VALID;
        }

        /** Short packets and malformed ones are counted apart (see {@link LegStats}). */
        public DropReason dropReason() {
            return this == SHORT ? DropReason.SHORT : DropReason.MALFORMED;
        }
    }

    private boolean padding;
    private boolean extension;
    private int csrcCount;
    private boolean marker;
    private int payloadType;
    private int sequenceNumber;
    private long timestamp;
    private long ssrc;
    private int headerLength;
    private int payloadOffset;
    private int payloadLength;
    private int paddingLength;

    /**
     * Validates the readable bytes of {@code buf} without moving its indices.
     *
     * @return {@link Verdict#VALID} and this view filled in, or the reason for rejection
     */
    public Verdict parse(ByteBuf buf) {
        int base = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < FIXED_HEADER_LENGTH) {
            return Verdict.SHORT;
        }
        int b0 = buf.getUnsignedByte(base);
        if ((b0 >>> 6) != VERSION) {
            return Verdict.BAD_VERSION;
        }
        int cc = b0 & 0x0F;
        int header = FIXED_HEADER_LENGTH + 4 * cc;
        if (header > length) {
            return Verdict.BAD_CSRC_COUNT;
        }
        boolean x = (b0 & 0x10) != 0;
        if (x) {
            // RFC 3550 5.3.1: 16-bit profile field, 16-bit length in 32-bit words excluding this word.
            if (header + 4 > length) {
                return Verdict.BAD_EXTENSION;
            }
            header += 4 + 4 * buf.getUnsignedShort(base + header + 2);
            if (header > length) {
                return Verdict.BAD_EXTENSION;
            }
        }
        boolean p = (b0 & 0x20) != 0;
        int pad = 0;
        if (p) {
            // RFC 3550 5.1: the last octet counts the padding octets, itself included.
            pad = buf.getUnsignedByte(base + length - 1);
            if (pad == 0 || pad > length - header) {
                return Verdict.BAD_PADDING;
            }
        }
        int b1 = buf.getUnsignedByte(base + 1);
        fill(p, x, cc, b1, buf.getUnsignedShort(base + 2), buf.getUnsignedInt(base + 4),
                buf.getUnsignedInt(base + 8), header, base + header, length - header - pad, pad);
        return Verdict.VALID;
    }

    /**
     * Validates {@code length} bytes of {@code data} from {@code offset}.
     *
     * @return {@link Verdict#VALID} and this view filled in, or the reason for rejection
     */
    public Verdict parse(byte[] data, int offset, int length) {
        if (length < FIXED_HEADER_LENGTH) {
            return Verdict.SHORT;
        }
        int b0 = data[offset] & 0xFF;
        if ((b0 >>> 6) != VERSION) {
            return Verdict.BAD_VERSION;
        }
        int cc = b0 & 0x0F;
        int header = FIXED_HEADER_LENGTH + 4 * cc;
        if (header > length) {
            return Verdict.BAD_CSRC_COUNT;
        }
        boolean x = (b0 & 0x10) != 0;
        if (x) {
            if (header + 4 > length) {
                return Verdict.BAD_EXTENSION;
            }
            header += 4 + 4 * u16(data, offset + header + 2);
            if (header > length) {
                return Verdict.BAD_EXTENSION;
            }
        }
        boolean p = (b0 & 0x20) != 0;
        int pad = 0;
        if (p) {
            pad = data[offset + length - 1] & 0xFF;
            if (pad == 0 || pad > length - header) {
                return Verdict.BAD_PADDING;
            }
        }
        fill(p, x, cc, data[offset + 1] & 0xFF, u16(data, offset + 2), u32(data, offset + 4),
                u32(data, offset + 8), header, offset + header, length - header - pad, pad);
        return Verdict.VALID;
    }

    private void fill(boolean p, boolean x, int cc, int b1, int seq, long ts, long ssrcValue,
                      int header, int payloadOff, int payloadLen, int pad) {
        this.padding = p;
        this.extension = x;
        this.csrcCount = cc;
        this.marker = (b1 & 0x80) != 0;
        this.payloadType = b1 & 0x7F;
        this.sequenceNumber = seq;
        this.timestamp = ts;
        this.ssrc = ssrcValue;
        this.headerLength = header;
        this.payloadOffset = payloadOff;
        this.payloadLength = payloadLen;
        this.paddingLength = pad;
    }

    private static int u16(byte[] d, int i) {
        return ((d[i] & 0xFF) << 8) | (d[i + 1] & 0xFF);
    }

    private static long u32(byte[] d, int i) {
        return ((long) (d[i] & 0xFF) << 24) | ((d[i + 1] & 0xFF) << 16) | ((d[i + 2] & 0xFF) << 8)
                | (d[i + 3] & 0xFF);
    }

    /**
     * Writes a 12-octet RTP header (version 2, no padding, extension or CSRC) at {@code index}.
     */
    public static void writeHeader(ByteBuf buf, int index, boolean marker, int payloadType,
                                   int sequenceNumber, long timestamp, long ssrc) {
        buf.setByte(index, VERSION << 6);
        buf.setByte(index + 1, (marker ? 0x80 : 0) | (payloadType & 0x7F));
        buf.setShort(index + 2, sequenceNumber);
        buf.setInt(index + 4, (int) timestamp);
        buf.setInt(index + 8, (int) ssrc);
    }

    /** Whether the padding bit was set. */
    public boolean padding() {
        return padding;
    }

    /** Whether a header extension was present. */
    public boolean extension() {
        return extension;
    }

    /** Number of CSRC identifiers. */
    public int csrcCount() {
        return csrcCount;
    }

    /** The marker bit. */
    public boolean marker() {
        return marker;
    }

    /** Payload type, 0-127. */
    public int payloadType() {
        return payloadType;
    }

    /** Sequence number, 0-65535. */
    public int sequenceNumber() {
        return sequenceNumber;
    }

    /** Timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return timestamp;
    }

    /** Synchronisation source as an unsigned 32-bit value. */
    public long ssrc() {
        return ssrc;
    }

    /** Length of fixed header, CSRC list and extension. */
    public int headerLength() {
        return headerLength;
    }

    /** Absolute index of the payload in the parsed buffer or array. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Payload length, padding excluded. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Number of padding octets, 0 when the padding bit is clear. */
    public int paddingLength() {
        return paddingLength;
    }
}
