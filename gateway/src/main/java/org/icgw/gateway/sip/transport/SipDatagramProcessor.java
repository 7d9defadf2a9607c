package org.icgw.gateway.sip.transport;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP listening point: one Netty datagram socket bound to the SIP address and port, read by
 * {@link SipDatagramHandler} and written by every {@link SipDatagramChannel}. The receive buffer
 * is one pooled buffer of {@code maxMessageSize + 1} bytes per read, so a larger datagram arrives
 * cut at that length, recognisably oversized, and nothing of 64 KiB is allocated per packet.
 */
final class SipDatagramProcessor extends SipListeningPoint {

    /** Largest UDP payload over IPv4 (65,535 less the IP and UDP headers). */
    static final int MAX_DATAGRAM = 65_507;

    private static final Logger log = LoggerFactory.getLogger(SipDatagramProcessor.class);

    private volatile Channel socket;

    SipDatagramProcessor(InetAddress address, int port, SIPTransactionStack stack, SipTransport transport) {
        super(address, port, "UDP", stack, transport);
    }

    @Override
    public void start() throws IOException {
        InternetProtocolFamily family = getIpAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6
                : InternetProtocolFamily.IPv4;
        Bootstrap bootstrap = new Bootstrap()
                .group(transport.group())
                .channelFactory(() -> transport.nativeTransport() ? new EpollDatagramChannel(family)
                        : new NioDatagramChannel(family))
                .option(ChannelOption.RCVBUF_ALLOCATOR,
                        new FixedRecvByteBufAllocator(transport.config().maxMessageSize() + 1))
                .handler(new SipDatagramHandler(this, transport, newReader()));
        socket = bound(bootstrap.bind(getIpAddress(), getPort()));
    }

    /** Sends one datagram from the listening socket. */
    void send(byte[] bytes, InetSocketAddress target) throws IOException {
        Channel ch = socket;
        if (ch == null || !ch.isActive()) {
            throw new IOException("UDP listening point closed");
        }
        if (bytes.length > MAX_DATAGRAM) {
            throw new IOException("message of " + bytes.length + " bytes too large for UDP");
        }
        ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), target)).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("UDP send to {} failed: {}", target, f.cause().toString());
            }
        });
    }

    /** A flow to a hop the stack chose: an address literal or a configured name, never a lookup. */
    @Override
    public MessageChannel createMessageChannel(HostPort hop) throws IOException {
        return new SipDatagramChannel(this, target(hop), transport.resolver());
    }

    @Override
    public MessageChannel createMessageChannel(InetAddress address, int port) {
        return new SipDatagramChannel(this, new InetSocketAddress(address, port), transport.resolver());
    }

    @Override
    public void stop() {
        Channel ch = socket;
        socket = null;
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
    }

    @Override
    public boolean inUse() {
        return socket != null;
    }
}
