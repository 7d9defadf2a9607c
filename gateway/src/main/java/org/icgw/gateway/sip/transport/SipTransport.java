package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.icgw.gateway.security.RateLimitedLog;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipLimits;
import org.icgw.gateway.sip.SourceGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's SIP transport under one JAIN-SIP stack: Netty event loops (native epoll when
 * available, Java NIO otherwise) that read UDP and TCP, the edge checks every message passes
 * before the stack sees it, and the lanes that hand accepted messages to the stack.
 *
 * <pre>
 *   datagram / TCP frame ─► SourceGuard.admit (ban, global budget, per-source bucket)
 *                        ─► SipMessageReader: parse, required headers, Via port, Content-Length, size
 *                             ─(refused)─► event, parse error charged, 400/513/505 or nothing
 *                        ─► received/rport stamped ─► SipDispatcher lane ─► JAIN-SIP transactions
 * </pre>
 *
 * <p>JAIN-SIP creates its message processors by class name ({@link SipMessageProcessorFactory},
 * stack property {@code gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY}) and its router likewise
 * ({@link SipRouter}); neither can be handed an object. So the endpoint builds one
 * {@code SipTransport}, {@link #register registers} it under the stack's unique name
 * ({@code javax.sip.STACK_NAME}) before creating the stack, and the factory and router look it
 * up by that name; {@link #unregister} after the stack stopped. The registry holds only running
 * endpoints' transports.
 */
public final class SipTransport implements AutoCloseable {

    /** Event loops for all of an endpoint's UDP and TCP: reading and framing are cheap, the stack's work runs on lanes. */
    static final int IO_THREADS = 2;
    /** Payload bytes shown in a DEBUG line about a refused message, sanitised. */
    private static final int DEBUG_PAYLOAD = 200;

    private static final Logger log = LoggerFactory.getLogger(SipTransport.class);
    private static final ConcurrentHashMap<String, SipTransport> BY_STACK = new ConcurrentHashMap<>();

    private final SipEndpointConfig config;
    private final SourceGuard guard;
    private final SecurityEvents events;
    private final AtomicLong rateLimited;
    private final SipHostResolver resolver;
    private final boolean nativeTransport;
    private final EventLoopGroup group;
    private final SipDispatcher dispatcher;
    private final SipConnectionLimiter connections;
    private final RateLimitedLog stackFailures = new RateLimitedLog(log, 1, System::nanoTime);

    /**
     * Starts the event loops and the dispatcher lanes.
     *
     * @param name        a prefix for thread names
     * @param rateLimited counts messages dropped or answered 503 by the rate limits
     * @param resolver    the names the transport may resolve (configured peers); closed with the transport
     */
    public SipTransport(String name, SipEndpointConfig config, SourceGuard guard, SecurityEvents events,
            AtomicLong rateLimited, SipHostResolver resolver) {
        this.config = config;
        this.guard = guard;
        this.events = events;
        this.rateLimited = rateLimited;
        this.resolver = resolver;
        this.nativeTransport = Epoll.isAvailable();
        IoHandlerFactory io = nativeTransport ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(IO_THREADS, new DefaultThreadFactory(name + "-io"), io);
        this.dispatcher = new SipDispatcher(name);
        SipLimits limits = config.limits();
        this.connections = new SipConnectionLimiter(limits.maxConnections(), limits.maxConnectionsPerSource());
    }

    /** Makes {@code transport} the one the stack named {@code stackName} uses. */
    public static void register(String stackName, SipTransport transport) {
        if (BY_STACK.putIfAbsent(stackName, transport) != null) {
            throw new IllegalStateException("a SIP transport is already registered for stack " + stackName);
        }
    }

    /** Forgets the transport of a stopped stack. */
    public static void unregister(String stackName, SipTransport transport) {
        BY_STACK.remove(stackName, transport);
    }

    /** The transport registered for a stack. */
    static SipTransport forStack(String stackName) {
        SipTransport transport = BY_STACK.get(stackName);
        if (transport == null) {
            throw new IllegalStateException("no SIP transport registered for stack " + stackName);
        }
        return transport;
    }

    /** Inbound TCP connections open now. */
    public int openConnections() {
        return connections.open();
    }

    /** Whether the native epoll transport is in use. */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    SipEndpointConfig config() {
        return config;
    }

    SipLimits limits() {
        return config.limits();
    }

    SecurityEvents events() {
        return events;
    }

    SipHostResolver resolver() {
        return resolver;
    }

    EventLoopGroup group() {
        return group;
    }

    SipConnectionLimiter connections() {
        return connections;
    }

    /**
     * Charges one message from {@code source} before anything is parsed, and records what the guard
     * decided. A configured peer (a trunk's address and port, or a connection the gateway opened to
     * it) passes the ban and the global budget but not the per-source bucket, which is for
     * strangers.
     */
    SourceGuard.Verdict admit(InetSocketAddress source, boolean peer) {
        SourceGuard.Verdict verdict = peer ? guard.admitPeer(source.getAddress()) : guard.admit(source.getAddress());
        switch (verdict) {
            case ADMIT -> { }
            case BANNED -> events.record(SecurityEvent.BANNED_REQUEST, source, "message from a banned address");
            case OVER_BUDGET -> {
                rateLimited.incrementAndGet();
                events.record(SecurityEvent.OVER_BUDGET, source, "message over the global budget");
            }
            case RATE_LIMITED -> {
                rateLimited.incrementAndGet();
                events.record(SecurityEvent.RATE_LIMITED, source, "message over the source's rate");
            }
        }
        return verdict;
    }

    /** Records a refused message (event, parse-error charge, DEBUG line) and returns its answer. */
    Optional<byte[]> refuse(SipMessageReader.Refused refused, InetSocketAddress source, byte[] payload) {
        if (refused.parseError()) {
            guard.parseError(source.getAddress());
        }
        events.record(refused.event(), source, refused.reason());
        if (log.isDebugEnabled()) {
            log.debug("refused from {} ({}): {}", source, refused.reason(),
                    RateLimitedLog.sanitize(new String(payload, StandardCharsets.ISO_8859_1), DEBUG_PAYLOAD));
        }
        return refused.answer();
    }

    /** Queues a message for the stack on the lane of {@code flow}; a full lane drops it (event OVER_BUDGET). */
    void deliver(Object flow, SipMessageChannel channel, SIPMessage message) {
        boolean queued = dispatcher.dispatch(flow, () -> {
            try {
                channel.processMessage(message);
            } catch (RuntimeException e) {
                stackFailures.warn("stack", () -> "SIP stack failed on a message from " + channel.peer() + ": "
                        + e.getClass().getSimpleName() + " (details at DEBUG)");
                log.debug("SIP stack failure", e);
            }
        });
        if (!queued) {
            events.record(SecurityEvent.OVER_BUDGET, channel.peer(), "dispatch queue full");
        }
    }

    /** Stops the lanes, the event loops (closing every socket still open) and the resolver. */
    @Override
    public void close() {
        dispatcher.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        resolver.close();
    }
}
