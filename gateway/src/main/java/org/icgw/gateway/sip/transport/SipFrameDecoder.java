package org.icgw.gateway.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.icgw.gateway.sip.SipEndpointConfig;

/**
 * Cuts a SIP byte stream (TCP, later TLS) into {@link SipFrame}s without parsing more than it
 * must: CRLFs between messages (a double CRLF is a keep-alive ping), then a header section up to
 * its empty line, then exactly Content-Length bytes of body (RFC 3261 §18.3). The first byte of a
 * message is announced as the user event {@link SipFrame.Signal#STARTED} (for the header timeout).
 * Everything it holds is bounded by the message size limit:
 * <ul>
 *   <li>no empty line within {@code maxMessageSize} bytes: {@link SipFrame.Signal#HEADERS_TOO_LONG},
 *       and the rest of the stream is discarded (the handler closes the connection);
 *   <li>no Content-Length, or one that is not a number: {@link SipFrame.Unframed}, then discard;
 *   <li>header section plus body above {@code maxMessageSize}: {@link SipFrame.Oversized}; a body up
 *       to {@link #MAX_SKIPPED_BODY} is read and thrown away so the connection stays usable, a larger
 *       one ends the stream.
 * </ul>
 */
final class SipFrameDecoder extends ByteToMessageDecoder {

    /** Largest body skipped to keep a connection after a 513: the largest message a SIP transport carries. */
    static final int MAX_SKIPPED_BODY = SipEndpointConfig.STACK_MESSAGE_LIMIT;
    /** Longest Content-Length value read: nine digits cannot overflow an int. */
    private static final int MAX_LENGTH_DIGITS = 9;

    private enum State { BOUNDARY, HEADERS, BODY, SKIP, DISCARD }

    private final int maxMessageSize;
    private State state = State.BOUNDARY;
    /** Bytes of the current header section already searched for its empty line. */
    private int scanned;
    private int headerLength;
    private int bodyLength;
    private long skipLeft;

    SipFrameDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            switch (state) {
                case BOUNDARY -> {
                    if (!boundary(ctx, in, out)) {
                        return;
                    }
                }
                case HEADERS -> {
                    if (!headers(in, out)) {
                        return;
                    }
                }
                case BODY -> {
                    if (in.readableBytes() < headerLength + bodyLength) {
                        return;
                    }
                    byte[] message = new byte[headerLength + bodyLength];
                    in.readBytes(message);
                    out.add(new SipFrame.Message(message, headerLength));
                    state = State.BOUNDARY;
                }
                case SKIP -> {
                    int n = (int) Math.min(in.readableBytes(), skipLeft);
                    in.skipBytes(n);
                    skipLeft -= n;
                    if (skipLeft == 0) {
                        state = State.BOUNDARY;
                    }
                }
                case DISCARD -> in.skipBytes(in.readableBytes());
            }
        }
    }

    /** Consumes line ends before a message; false when more bytes are needed to tell what comes. */
    private boolean boundary(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int i = in.readerIndex();
            byte b = in.getByte(i);
            if (b != '\r' && b != '\n') {
                state = State.HEADERS;
                scanned = 0;
                // a user event, not a frame: it consumes no bytes
                ctx.fireUserEventTriggered(SipFrame.Signal.STARTED);
                return true;
            }
            if (in.readableBytes() >= 4 && in.getInt(i) == 0x0d0a0d0a) {
                in.skipBytes(4);
                out.add(SipFrame.Signal.KEEP_ALIVE);
            } else if (in.readableBytes() >= 3 && b == '\r' && in.getByte(i + 1) == '\n' && in.getByte(i + 2) != '\r') {
                in.skipBytes(2); // a pong, or a line end before a message (RFC 3261 §7.5 says ignore it)
            } else if (b == '\n') {
                in.skipBytes(1);
            } else if (in.readableBytes() < 4) {
                return false; // a CR with too little after it to tell a ping from a pong
            } else {
                in.skipBytes(1); // a stray CR
            }
        }
        return false;
    }

    private boolean headers(ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int end = headerEnd(in, start + scanned, in.writerIndex());
        if (end < 0) {
            int readable = in.readableBytes();
            if (readable > maxMessageSize) {
                out.add(SipFrame.Signal.HEADERS_TOO_LONG);
                state = State.DISCARD;
                return true;
            }
            scanned = Math.max(0, readable - 3);
            return false;
        }
        headerLength = end - start;
        if (headerLength > maxMessageSize) {
            out.add(SipFrame.Signal.HEADERS_TOO_LONG);
            state = State.DISCARD;
            return true;
        }
        byte[] headerBytes = new byte[headerLength];
        in.getBytes(start, headerBytes);
        int length = contentLength(headerBytes);
        if (length < 0) {
            in.skipBytes(headerLength);
            out.add(new SipFrame.Unframed(headerBytes));
            state = State.DISCARD;
            return true;
        }
        if ((long) headerLength + length > maxMessageSize) {
            in.skipBytes(headerLength);
            boolean closeAfter = length > MAX_SKIPPED_BODY;
            out.add(new SipFrame.Oversized(headerBytes, closeAfter));
            state = closeAfter ? State.DISCARD : State.SKIP;
            skipLeft = length;
            if (!closeAfter && length == 0) {
                state = State.BOUNDARY;
            }
            return true;
        }
        bodyLength = length;
        state = State.BODY;
        return true;
    }

    /**
     * The index just past the empty line ending a header section (lines end in CRLF or a bare LF),
     * searching from {@code from}; -1 when not there yet.
     */
    static int headerEnd(ByteBuf buf, int from, int to) {
        for (int i = Math.max(from, buf.readerIndex()); i < to; i++) {
            if (buf.getByte(i) != '\n') {
                continue;
            }
            if (i + 1 < to && buf.getByte(i + 1) == '\n') {
                return i + 2;
            }
            if (i + 2 < to && buf.getByte(i + 1) == '\r' && buf.getByte(i + 2) == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    /**
     * The Content-Length of a header section ({@code Content-Length} or its compact form {@code l},
     * any case, folded lines joined): -1 when absent, not a number, or given twice with different values.
     */
    static int contentLength(byte[] headerSection) {
        String text = new String(headerSection, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n", -1);
        int found = -1;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("content-length") && !name.equals("l")) {
                continue;
            }
            StringBuilder value = new StringBuilder(line.substring(colon + 1));
            while (i + 1 < lines.length && !lines[i + 1].isEmpty() && (lines[i + 1].charAt(0) == ' ' || lines[i + 1].charAt(0) == '\t')) {
                value.append(lines[++i]);
            }
            int length = number(value.toString().trim());
            if (length < 0 || (found >= 0 && found != length)) {
                return -1;
            }
            found = length;
        }
        return found;
    }

    private static int number(String digits) {
        if (digits.isEmpty() || digits.length() > MAX_LENGTH_DIGITS) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }
}
