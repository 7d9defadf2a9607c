package org.icgw.gateway.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * Netty's HTTP/1.1 request decoder with two additions for the admin server.
 *
 * <p><b>One bound on the whole head.</b> Netty bounds the request line and the header block
 * apart; here the head, every byte from the first of the request to the end of the empty line
 * that closes the headers, is at most {@code maxHeadBytes}. Its bytes are counted as they arrive
 * (Netty leaves a partial line in the buffer, so the count carries over between reads). One byte
 * more is refused with 431, or 414 when the request line itself has not ended by then; the rest
 * of the connection's input is discarded.
 *
 * <p><b>Where requests start and end</b>, for {@link ReadTimeouts}: a request starts with its
 * first byte and ends with its last body byte (Netty's {@link LastHttpContent}) or with a decoding
 * failure, after which the input is discarded too.
 */
final class AdminRequestDecoder extends HttpRequestDecoder {

    private final int maxHeadBytes;
    private final ReadTimeouts timeouts;
    private boolean inMessage;
    private boolean inHead;
    private boolean discarding;
    /** Bytes of the current head counted so far, consumed by Netty or not. */
    private int headBytes;
    /** Bytes at the buffer's reader index that were counted by an earlier read. */
    private int counted;
    private boolean requestLineEnded;
    private boolean lineHasText;

    AdminRequestDecoder(int maxHeadBytes, ReadTimeouts timeouts) {
        // Netty's own bounds cannot trip first: each part is at most the whole head.
        super(new HttpDecoderConfig().setMaxInitialLineLength(maxHeadBytes).setMaxHeaderSize(maxHeadBytes));
        this.maxHeadBytes = maxHeadBytes;
        this.timeouts = timeouts;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discarding || timeouts.isClosing()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!inMessage) {
            if (!in.isReadable()) {
                return;
            }
            inMessage = true;
            inHead = true;
            headBytes = 0;
            counted = 0;
            requestLineEnded = false;
            lineHasText = false;
            timeouts.requestStarted();
        }
        if (inHead && !countHead(in)) {
            in.skipBytes(in.readableBytes());
            discarding = true;
            inMessage = false;
            timeouts.requestRead();
            out.add(requestLineEnded
                    ? new Refusal(Problem.headerTooLarge(maxHeadBytes), "request head over " + maxHeadBytes + " bytes")
                    : new Refusal(Problem.uriTooLong(maxHeadBytes), "request line over " + maxHeadBytes + " bytes"));
            return;
        }
        int before = out.size();
        super.decode(ctx, in, out);
        counted = in.readableBytes();
        for (int i = before; i < out.size(); i++) {
            Object o = out.get(i);
            boolean failed = o instanceof HttpMessage m && m.decoderResult().isFailure()
                    || o instanceof LastHttpContent last && last.decoderResult().isFailure();
            if (failed || o instanceof LastHttpContent) {
                inMessage = false;
                discarding |= failed;
                timeouts.requestRead();
            }
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discarding || timeouts.isClosing()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        super.decodeLast(ctx, in, out);
    }

    /**
     * Counts the head's bytes not counted yet, up to the empty line that ends it.
     *
     * @return false when the head is over the bound
     */
    private boolean countHead(ByteBuf in) {
        int end = in.writerIndex();
        for (int i = in.readerIndex() + counted; i < end; i++) {
            if (++headBytes > maxHeadBytes) {
                return false;
            }
            byte b = in.getByte(i);
            if (b == '\n') {
                if (lineHasText) {
                    requestLineEnded = true;
                } else if (requestLineEnded) {
                    inHead = false;
                    return true;
                }
                lineHasText = false;
            } else if (b != '\r' && (requestLineEnded || lineHasText || b > ' ')) {
                // Netty skips white space and control characters before the request line; so does this.
                lineHasText = true;
            }
        }
        return true;
    }
}
