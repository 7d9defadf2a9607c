package org.icgw.gateway.sip.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;

/**
 * Closes a connection that stops sending: after {@code idleTimeout} without a complete message
 * (a keep-alive ping counts as one, so an RFC 5626 flow kept alive by its client stays open; it
 * resets the timer no further than a message would), and {@code headerTimeout} after the first
 * byte of a message whose header section is still incomplete (slow-header clients). Sits behind
 * {@link SipFrameDecoder} and consumes its {@link SipFrame.Signal#STARTED} event. Both timers run
 * on the connection's event loop; nothing is allocated per message.
 */
final class SipConnectionTimeouts extends ChannelInboundHandlerAdapter {

    private final long idleNanos;
    private final long headerNanos;
    private final SecurityEvents events;
    private final LongSupplier nanoClock;
    private long lastMessage;
    private ScheduledFuture<?> idle;
    private ScheduledFuture<?> header;

    SipConnectionTimeouts(Duration idleTimeout, Duration headerTimeout, SecurityEvents events, LongSupplier nanoClock) {
        this.idleNanos = idleTimeout.toNanos();
        this.headerNanos = headerTimeout.toNanos();
        this.events = events;
        this.nanoClock = nanoClock;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        lastMessage = nanoClock.getAsLong();
        idle = ctx.executor().schedule(() -> idleCheck(ctx), idleNanos, TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event != SipFrame.Signal.STARTED) {
            super.userEventTriggered(ctx, event);
            return;
        }
        if (header == null) {
            header = ctx.executor().schedule(() -> expire(ctx, "message headers incomplete"), headerNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (header != null && msg != SipFrame.Signal.KEEP_ALIVE) {
            header.cancel(false);
            header = null;
        }
        if (msg instanceof SipFrame.Message || msg instanceof SipFrame.Oversized || msg == SipFrame.Signal.KEEP_ALIVE) {
            lastMessage = nanoClock.getAsLong();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void idleCheck(ChannelHandlerContext ctx) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        long left = idleNanos - (nanoClock.getAsLong() - lastMessage);
        if (left <= 0) {
            expire(ctx, "idle");
        } else {
            idle = ctx.executor().schedule(() -> idleCheck(ctx), left, TimeUnit.NANOSECONDS);
        }
    }

    private void expire(ChannelHandlerContext ctx, String why) {
        if (!ctx.channel().isOpen()) {
            return;
        }
        events.record(SecurityEvent.CONNECTION_TIMEOUT, (InetSocketAddress) ctx.channel().remoteAddress(), why);
        ctx.close();
    }

    private void cancel() {
        if (idle != null) {
            idle.cancel(false);
            idle = null;
        }
        if (header != null) {
            header.cancel(false);
            header = null;
        }
    }
}
