package org.icgw.gateway.sip.transport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.sip.SourceGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of one TCP connection's pipeline: charges each frame to the connection's source before
 * reading it, answers keep-alive pings, passes accepted messages to the stack on the connection's
 * own lane (so they keep their order) and answers refused ones on the same connection, closing it
 * when the stream cannot be framed any more.
 */
final class SipStreamHandler extends SimpleChannelInboundHandler<SipFrame> {

    private static final Logger log = LoggerFactory.getLogger(SipStreamHandler.class);
    /** The RFC 5626 §3.5.1 pong. */
    private static final byte[] PONG = {'\r', '\n'};

    private final SipStreamProcessor processor;
    private final SipTransport transport;
    private final SipMessageReader reader;
    private final boolean outbound;
    private SipStreamChannel flow;

    /**
     * @param outbound a connection the gateway opened to a configured peer (trusted as that peer)
     */
    SipStreamHandler(SipStreamProcessor processor, SipTransport transport, SipMessageReader reader, boolean outbound) {
        this.processor = processor;
        this.transport = transport;
        this.reader = reader;
        this.outbound = outbound;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        flow = new SipStreamChannel(processor, remote, ctx.channel(), transport.resolver());
        processor.opened(flow);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (flow != null) {
            processor.closed(flow);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, SipFrame frame) {
        InetSocketAddress source = flow.peer();
        SourceGuard.Verdict verdict = transport.admit(source, outbound);
        boolean admitted = verdict == SourceGuard.Verdict.ADMIT;
        switch (frame) {
            case SipFrame.Signal signal -> {
                if (signal == SipFrame.Signal.KEEP_ALIVE && admitted) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(PONG));
                } else if (signal == SipFrame.Signal.HEADERS_TOO_LONG) {
                    if (admitted) {
                        transport.refuse(new SipMessageReader.Refused(SecurityEvent.OVERSIZED,
                                "header section larger than the limit", true, Optional.empty()), source, new byte[0]);
                    }
                    ctx.close();
                }
            }
            case SipFrame.Message message -> {
                SipMessageReader.Outcome outcome = reader.stream(message, source);
                if (verdict == SourceGuard.Verdict.RATE_LIMITED) {
                    reader.busy(outcome).ifPresent(answer -> answer(ctx, answer, false));
                } else if (admitted) {
                    handle(ctx, outcome, message.bytes(), false);
                }
            }
            case SipFrame.Oversized oversized -> {
                if (admitted) {
                    handle(ctx, reader.oversized(oversized.headers()), oversized.headers(), oversized.closeAfter());
                } else if (oversized.closeAfter()) {
                    ctx.close();
                }
            }
            case SipFrame.Unframed unframed -> {
                if (admitted) {
                    handle(ctx, reader.unframed(unframed.headers()), unframed.headers(), true);
                } else {
                    ctx.close();
                }
            }
        }
    }

    private void handle(ChannelHandlerContext ctx, SipMessageReader.Outcome outcome, byte[] payload, boolean closeAfter) {
        switch (outcome) {
            case SipMessageReader.Accepted accepted -> transport.deliver(ctx.channel().id(), flow, accepted.message());
            case SipMessageReader.Refused refused -> {
                Optional<byte[]> answer = transport.refuse(refused, flow.peer(), payload);
                if (answer.isPresent()) {
                    answer(ctx, answer.get(), closeAfter);
                    return;
                }
            }
            case SipMessageReader.Ignored ignored -> { }
        }
        if (closeAfter) {
            ctx.close();
        }
    }

    private static void answer(ChannelHandlerContext ctx, byte[] answer, boolean closeAfter) {
        var written = ctx.writeAndFlush(Unpooled.wrappedBuffer(answer));
        if (closeAfter) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("TCP connection with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
