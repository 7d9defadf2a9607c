package org.icgw.media;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.icgw.media.port.PortAllocator;
import org.icgw.media.record.RecordingWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media plane: Netty event loops (native epoll when available, Java NIO otherwise), the RTP
 * port pool, and the {@link MediaSession}s opened on them.
 *
 * <p>Each session lives on one event loop chosen round-robin at {@link #open}; all four of its
 * sockets are registered there. A session's ports return to the pool once its sockets are
 * closed, however it ends: {@link MediaSession#stop()}, a socket closing on error, or
 * {@link #close()}; a pair whose bind fails is returned at once and the next one tried.
 */
public final class MediaEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaEngine.class);
    /** Port pairs tried per leg before giving up when binds fail (ports taken by other programs). */
    static final int BIND_ATTEMPTS = 16;

    private final EventLoopGroup group;
    private final boolean nativeTransport;
    private final PortAllocator ports;
    private final Set<RelaySession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong bindFailures = new AtomicLong();
    /** Counts of sessions that have ended, folded in by {@link #sessionEnded}. */
    private final LongAdder endedIn = new LongAdder();
    private final LongAdder endedOut = new LongAdder();
    private final LongAdder endedLost = new LongAdder();
    /** The highest totals reported, so that a reader never sees them fall. */
    private final AtomicLong reportedIn = new AtomicLong();
    private final AtomicLong reportedOut = new AtomicLong();
    private final AtomicLong reportedLost = new AtomicLong();
    /** Blocking housekeeping kept off the event loops (finishing a recording's file). */
    private final ExecutorService offPath = Executors.newVirtualThreadPerTaskExecutor();
    /** Writes every session's recording: one thread for all calls. */
    private final RecordingWriter recordings = new RecordingWriter(Duration.ofMillis(250));
    private volatile boolean closed;

    /** Starts the event loops; sockets are opened per session. */
    public MediaEngine(MediaEngineConfig config) {
        this.nativeTransport = config.preferNativeTransport() && Epoll.isAvailable();
        IoHandlerFactory factory = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        // One loop per two processors: a loop serves hundreds of sessions, and fewer loops wake
        // less often for the same packets (bench/relay, 200 sessions on 2 vCPUs: one loop cost
        // 13 % less CPU per packet than two); the rest is left to signalling.
        int threads = config.ioThreads() == 0
                ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : config.ioThreads();
        this.group = new MultiThreadIoEventLoopGroup(threads, factory);
        this.ports = new PortAllocator(config.rtpPortMin(), config.rtpPortMax());
        LOG.info("media engine: {} event loops, {} transport, RTP ports {}-{}", threads,
                nativeTransport ? "epoll" : "NIO", ports.firstPort(), ports.lastPort() + 1);
    }

    /**
     * Opens a session: binds RTP and RTCP for both legs on pairs from the pool. Blocks until the
     * sockets are bound, so it must not be called from one of the engine's event loops.
     *
     * @param listener receives the session's events on its event loop
     * @throws MediaOpenException when no pair is free or binding keeps failing
     */
    public MediaSession open(MediaSessionConfig config, MediaEventListener listener) {
        if (closed) {
            throw new MediaOpenException(MediaOpenException.Reason.ENGINE_CLOSED, "media engine closed", null);
        }
        EventLoop loop = group.next();
        if (loop.inEventLoop()) {
            throw new IllegalStateException("MediaEngine.open must not be called from a media event loop");
        }
        RelaySession session = new RelaySession(this, loop, config, listener);
        List<Integer> taken = new ArrayList<>(2);
        try {
            for (Leg leg : Leg.values()) {
                taken.add(bindLeg(session, leg, config));
            }
        } catch (RuntimeException e) {
            for (Leg leg : Leg.values()) {
                Endpoint ep = session.endpoint(leg);
                closeQuietly(ep.rtp);
                closeQuietly(ep.rtcp);
            }
            taken.forEach(ports::release);
            throw e;
        }
        sessions.add(session);
        session.start();
        if (closed) {
            session.stop();
        }
        return session;
    }

    private int bindLeg(RelaySession session, Leg leg, MediaSessionConfig config) {
        Throwable lastFailure = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            OptionalInt pair = ports.allocate();
            if (pair.isEmpty()) {
                throw new MediaOpenException(MediaOpenException.Reason.PORTS_EXHAUSTED,
                        "no free RTP port pair in " + ports.firstPort() + "-" + (ports.lastPort() + 1), null);
            }
            int port = pair.getAsInt();
            Channel rtp = null;
            try {
                rtp = bind(session.eventLoop(), config, port, session.rtpHandler(leg));
                Channel rtcp = bind(session.eventLoop(), config, port + 1, session.rtcpHandler(leg));
                session.attach(leg, port, rtp, rtcp);
                return port;
            } catch (BindFailure e) {
                lastFailure = e.getCause();
                bindFailures.incrementAndGet();
                closeQuietly(rtp);
                ports.release(port);
                LOG.debug("bind of RTP pair {} failed: {}", port, lastFailure.toString());
            }
        }
        throw new MediaOpenException(MediaOpenException.Reason.BIND_FAILED,
                "could not bind an RTP port pair after " + BIND_ATTEMPTS + " attempts", lastFailure);
    }

    private Channel bind(EventLoop loop, MediaSessionConfig config, int port,
                         ChannelHandler handler) {
        // A socket of the bind address's own family: an IPv4 relay skips the dual-stack path.
        SocketProtocolFamily family = config.bindAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(() -> nativeTransport ? new EpollDatagramChannel(family) : new NioDatagramChannel(family))
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(2048))
                .handler(handler);
        ChannelFuture f = bootstrap
                .bind(config.bindAddress(), port)
                .awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new BindFailure(f.cause());
        }
        return f.channel();
    }

    private static void closeQuietly(Channel ch) {
        if (ch != null) {
            ch.close().awaitUninterruptibly();
        }
    }

    /** Called by a session on its event loop once all its sockets are closed. */
    void sessionEnded(RelaySession session, int portA, int portB) {
        if (portA >= 0) {
            ports.release(portA);
        }
        if (portB >= 0) {
            ports.release(portB);
        }
        // Removed before its counts are folded in: a reader in between sees too little, never
        // the session twice, and rtpTotals() holds its last answer until the fold lands.
        if (sessions.remove(session)) {
            for (Leg leg : Leg.values()) {
                org.icgw.media.rtp.LegStats st = session.stats(leg);
                endedIn.add(st.packetsIn());
                endedOut.add(st.packetsOut());
                endedLost.add(st.packetsLost());
            }
        }
    }

    /**
     * RTP totals over every session this engine has had, live ones included. Each total only
     * grows from one call to the next (a Prometheus counter); it may lag a session that is
     * ending by one call. Any thread; walks the live sessions, so meant for a scrape, not a
     * packet path.
     */
    public RtpTotals rtpTotals() {
        long in = endedIn.sum();
        long out = endedOut.sum();
        long lost = endedLost.sum();
        for (RelaySession s : sessions) {
            for (Leg leg : Leg.values()) {
                org.icgw.media.rtp.LegStats st = s.stats(leg);
                in += st.packetsIn();
                out += st.packetsOut();
                lost += st.packetsLost();
            }
        }
        return new RtpTotals(reportedIn.accumulateAndGet(in, Math::max), reportedOut.accumulateAndGet(out, Math::max),
                reportedLost.accumulateAndGet(lost, Math::max));
    }

    /** Closes {@code resource} on a virtual thread, never on an event loop; logs a failure. */
    CompletableFuture<Void> closeOffPath(AutoCloseable resource) {
        try {
            return CompletableFuture.runAsync(() -> {
                try {
                    resource.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed", resource, e);
                }
            }, offPath);
        } catch (RejectedExecutionException e) {
            LOG.warn("engine closed: {} left open", resource);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** The writer shared by the sessions' recordings. */
    RecordingWriter recordings() {
        return recordings;
    }

    /** The engine's port pool (for metrics: {@link PortAllocator#inUse()}). */
    public PortAllocator ports() {
        return ports;
    }

    /** Sessions opened and not yet fully stopped. */
    public int activeSessions() {
        return sessions.size();
    }

    /** Port pairs skipped because a socket would not bind (a port held by another program). */
    public long bindFailures() {
        return bindFailures.get();
    }

    /** Whether the native epoll transport is in use. */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    /** Stops every session, waits (bounded) for their ports to return, and stops the event loops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (RelaySession s : sessions) {
            s.stop();
            pending.add(s.closeFuture());
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("{} media sessions did not stop within 10 s", sessions.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("media session stop failed", e.getCause());
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        offPath.close();
        recordings.close();
    }

    private static final class BindFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BindFailure(Throwable cause) {
            super(cause);
        }
    }
}
