package org.icgw.gateway.sip.transport;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.sip.SipLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP listening point, non-blocking on the transport's few event loops: no thread per
 * connection. An accepted connection is refused at once (closed, event CONNECTION_REFUSED) beyond
 * {@code sip.limits.max_connections} in all or {@code max_connections_per_source} from one
 * address; the others get the pipeline
 * <pre>
 *   [SslHandler for TLS] ─► SipFrameDecoder ─► SipConnectionTimeouts ─► SipStreamHandler
 * </pre>
 * A TLS listening point is this processor with an
 * {@code SslHandler} first in {@link #initConnection} and the transport name {@code TLS}.
 *
 * <p>Flows are kept by remote address and port. The stack's responses use the flow of their
 * request; its requests use the flow open to the target, or a new connection when the target is a
 * configured peer (a trunk): at most one connection attempt per target at a time, shared by all
 * senders, given up after {@link #CONNECT_TIMEOUT}; see {@link #send}. No connection is ever
 * opened to an address taken from a message.
 */
final class SipStreamProcessor extends SipListeningPoint {

    /** How long opening a connection to a trunk may take (the B2BUA's response timeout moves on sooner or later). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** After a failed connection attempt, sends to that peer fail at once for this long (fast trunk failover). */
    static final Duration RETRY_CONNECT_AFTER = Duration.ofSeconds(5);
    /** Messages that may wait for one connection being opened (a burst of calls to a trunk). */
    static final int MAX_WAITING_WRITES = 256;
    /** Accepted connections the kernel queues before the event loop takes them (bursts of reconnecting phones). */
    static final int ACCEPT_BACKLOG = 1_024;
    /** Bytes queued for a peer that does not read, beyond which sends to it fail (bounded memory per connection). */
    static final int WRITE_BUFFER_HIGH = 256 * 1024;
    /** Level at which a connection is writable again. */
    static final int WRITE_BUFFER_LOW = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(SipStreamProcessor.class);

    private final ConcurrentHashMap<InetSocketAddress, SipStreamChannel> flows = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetSocketAddress, Attempt> connecting = new ConcurrentHashMap<>();
    /** When the last failed attempt to each configured peer ended (at most one entry per peer). */
    private final ConcurrentHashMap<InetSocketAddress, Long> failedConnects = new ConcurrentHashMap<>();
    private volatile Channel server;
    private volatile Bootstrap client;
    private volatile SipMessageReader reader;

    SipStreamProcessor(InetAddress address, int port, SIPTransactionStack stack, SipTransport transport) {
        super(address, port, "TCP", stack, transport);
    }

    @Override
    public void start() throws IOException {
        reader = newReader();
        WriteBufferWaterMark watermark = new WriteBufferWaterMark(WRITE_BUFFER_LOW, WRITE_BUFFER_HIGH);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(transport.group())
                .channelFactory(() -> (ServerChannel) (transport.nativeTransport() ? new EpollServerSocketChannel()
                        : new NioServerSocketChannel()))
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, watermark)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accept(ch);
                    }
                });
        client = new Bootstrap()
                .group(transport.group())
                .channelFactory(() -> transport.nativeTransport() ? new EpollSocketChannel() : new NioSocketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, watermark)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch, true);
                    }
                });
        server = bound(bootstrap.bind(getIpAddress(), getPort()));
    }

    /** An accepted connection: counted against the limits, or closed at once. */
    private void accept(Channel ch) {
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        SipConnectionLimiter.Admission admission = transport.connections().tryOpen(remote.getAddress());
        if (admission != SipConnectionLimiter.Admission.OPEN) {
            transport.events().record(SecurityEvent.CONNECTION_REFUSED, remote, admission.reason());
            ch.close();
            return;
        }
        ch.closeFuture().addListener(f -> transport.connections().closed(remote.getAddress()));
        initConnection(ch, false);
    }

    private void initConnection(Channel ch, boolean outbound) {
        SipLimits limits = transport.limits();
        int maxMessageSize = transport.config().maxMessageSize();
        ch.pipeline().addLast(
                new SipFrameDecoder(maxMessageSize),
                new SipConnectionTimeouts(limits.idleTimeout(), limits.headerTimeout(), transport.events(), System::nanoTime),
                new SipStreamHandler(this, transport, reader, outbound));
    }

    void opened(SipStreamChannel flow) {
        flows.put(flow.peer(), flow);
    }

    void closed(SipStreamChannel flow) {
        flows.remove(flow.peer(), flow);
    }

    /**
     * Sends one message to {@code target}: on the connection open to it, else on a new one when
     * {@code target} is a configured peer. Never blocks: a connection being opened takes the message
     * when it is up (at most {@link #MAX_WAITING_WRITES} wait), and the caller (the B2BUA's one
     * thread) goes on. A peer whose last connection attempt failed less than
     * {@link #RETRY_CONNECT_AFTER} ago is refused at once, so the next trunk is tried without delay.
     *
     * @throws IOException when there is no connection and none may be opened now
     */
    void send(InetSocketAddress target, byte[] bytes) throws IOException {
        SipStreamChannel open = flows.get(target);
        if (open != null && open.connection() != null && open.connection().isActive()) {
            write(open.connection(), bytes);
            return;
        }
        if (!transport.resolver().isConfiguredPeer(target)) {
            throw new IOException("no connection with " + target + " and it is not a configured peer");
        }
        Long failedAt = failedConnects.get(target);
        if (failedAt != null && System.nanoTime() - failedAt < RETRY_CONNECT_AFTER.toNanos()) {
            throw new IOException("connecting to " + target + " failed less than " + RETRY_CONNECT_AFTER + " ago");
        }
        if (client == null) {
            throw new IOException("TCP listening point stopped");
        }
        Attempt attempt = connecting.computeIfAbsent(target, t -> {
            ChannelFuture f = client.connect(t);
            Attempt a = new Attempt(f, new AtomicInteger());
            f.addListener(done -> {
                connecting.remove(t, a);
                if (done.isSuccess()) {
                    failedConnects.remove(t);
                } else {
                    failedConnects.put(t, System.nanoTime());
                    log.debug("connecting to {} failed: {}", t, done.cause().toString());
                }
            });
            return a;
        });
        if (attempt.waiting().incrementAndGet() > MAX_WAITING_WRITES) {
            attempt.waiting().decrementAndGet();
            throw new IOException("too many messages waiting for the connection to " + target);
        }
        attempt.connect().addListener(done -> {
            if (done.isSuccess()) {
                try {
                    write(attempt.connect().channel(), bytes);
                } catch (IOException e) {
                    log.debug("message to {} dropped: {}", target, e.getMessage());
                }
            }
        });
    }

    /** A connection being opened and the messages waiting for it. */
    private record Attempt(ChannelFuture connect, AtomicInteger waiting) {
    }

    /** Writes one message on a connection, unless its peer stopped reading what was sent before. */
    void write(Channel ch, byte[] bytes) throws IOException {
        if (!ch.isActive()) {
            throw new IOException("connection closed");
        }
        if (!ch.isWritable()) {
            throw new IOException("peer " + ch.remoteAddress() + " is not reading: message dropped");
        }
        ch.writeAndFlush(Unpooled.wrappedBuffer(bytes));
    }

    @Override
    public MessageChannel createMessageChannel(HostPort hop) throws IOException {
        InetSocketAddress target = target(hop);
        return createMessageChannel(target.getAddress(), target.getPort());
    }

    @Override
    public MessageChannel createMessageChannel(InetAddress address, int port) {
        InetSocketAddress target = new InetSocketAddress(address, port);
        SipStreamChannel open = flows.get(target);
        return open != null ? open : new SipStreamChannel(this, target, null, transport.resolver());
    }

    @Override
    public void stop() {
        Channel listener = server;
        server = null;
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        List<ChannelFuture> closing = new ArrayList<>();
        for (SipStreamChannel flow : flows.values()) {
            Channel ch = flow.connection();
            if (ch != null) {
                closing.add(ch.close());
            }
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
    }

    @Override
    public boolean inUse() {
        return !flows.isEmpty();
    }
}
