package org.icgw.gateway.sip;

import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import gov.nist.javax.sip.stack.MessageChannel;
import java.io.IOException;
import java.text.ParseException;
import java.util.List;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TooManyListenersException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.PeerUnavailableException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.transport.SipHostResolver;
import org.icgw.gateway.sip.transport.SipMessageProcessorFactory;
import org.icgw.gateway.sip.transport.SipRouter;
import org.icgw.gateway.sip.transport.SipStackLog;
import org.icgw.gateway.sip.transport.SipTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's SIP endpoint: one JAIN-SIP stack on the gateway's own Netty transport
 * ({@link SipTransport}: UDP and TCP at the configured address and port), and one listener that
 * passes every request through the same gate before dispatching it by method, like Kamailio's
 * {@code REQINIT} route:
 *
 * <pre>
 *   message ─► transport: ban, budgets, rate per source ──(empty bucket)──► 503 Retry-After, stateless
 *           ─► transport: parse, required headers, Via port, Content-Length ──► 400/513 or dropped
 *           ─► server transaction (retransmissions stop here)
 *           ─► RequestValidator: 513 size, 400 headers, 501/405 method, 416 scheme, 420 Require
 *           ─► OPTIONS: 200 with Allow and Accept, unless a handler takes it
 *           ─► handler for the method ──(throws)──► 500
 * </pre>
 *
 * Malformed messages never reach the stack: the transport answers 400 (fixed reason, no body) when
 * it can read enough headers to address a response, and drops them otherwise. Responses go back
 * where the request came from (UDP: the packet's source; TCP: its connection) and no name from a
 * message is ever resolved. Requests are delivered on one thread, in order
 * ({@code REENTRANT_LISTENER=false}).
 *
 * <p>Lifecycle: {@link #builder}, {@link Builder#build()}, {@link #start()}, {@link #close()}.
 * {@code close()} stops every thread the stack and the transport started.
 */
public final class SipEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SipEndpoint.class);
    /** How long start waits for the first lookup of configured peer names (trunks) before going on without them. */
    static final Duration PEER_RESOLUTION_AT_START = Duration.ofSeconds(2);
    /** Numbers stacks, whose names key the transport registry (two endpoints may share a port in tests). */
    private static final AtomicInteger STACKS = new AtomicInteger();

    private final SipEndpointConfig config;
    private final SipFactories factories;
    private final Map<String, SipRequestHandler> handlers;
    private final SipResponseListener responses;
    private final RequestValidator validator;
    private final SourceGuard guard;
    private final SecurityEvents events;
    private final List<InetSocketAddress> peers;
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private SipStackImpl stack;
    private SipProvider provider;
    private SipTransport transport;
    private String stackName;

    private SipEndpoint(Builder builder) {
        this.config = builder.config;
        this.factories = builder.factories;
        this.handlers = Map.copyOf(builder.handlers);
        this.responses = builder.responses;
        Set<String> allowed = new HashSet<>(handlers.keySet());
        allowed.add(Request.OPTIONS);
        if (allowed.contains(Request.INVITE)) {
            allowed.add(Request.ACK);
            allowed.add(Request.CANCEL);
        }
        identify(factories, config.serverHeader());
        this.validator = new RequestValidator(factories, config.maxMessageSize(), allowed, builder.supportedOptions,
                config.bindAddress(), config.port());
        this.guard = builder.guard != null ? builder.guard : new SourceGuard(config, builder.nanoClock);
        this.events = builder.events != null ? builder.events : SecurityEvents.unregistered();
        this.peers = List.copyOf(builder.peers);
    }

    /**
     * Names the product in the {@code Server} header of every response and the {@code User-Agent}
     * of every request the stack builds. JAIN-SIP keeps these defaults per process, which is one
     * gateway; the value carries no version unless the operator configured one.
     */
    private static void identify(SipFactories factories, String product) {
        try {
            MessageFactoryImpl messages = (MessageFactoryImpl) factories.messages();
            messages.setDefaultServerHeader(factories.headers().createServerHeader(List.of(product)));
            messages.setDefaultUserAgentHeader(factories.headers().createUserAgentHeader(List.of(product)));
        } catch (ParseException e) {
            throw new IllegalArgumentException("sip.server_header: not a product token: " + product, e);
        }
    }

    /** A builder for an endpoint with this configuration. */
    public static Builder builder(SipEndpointConfig config) {
        return new Builder(config);
    }

    /**
     * Creates the stack and binds UDP and TCP.
     *
     * @throws IOException when either transport cannot bind (address in use, address not local)
     */
    public synchronized void start() throws IOException {
        if (stack != null) {
            throw new IllegalStateException("already started");
        }
        String name = "icgw-sip-" + config.port() + "-" + STACKS.incrementAndGet();
        SipHostResolver resolver = new SipHostResolver(peers);
        resolver.start();
        try {
            if (!resolver.awaitFirstRound(PEER_RESOLUTION_AT_START)) {
                log.warn("SIP peer names not resolved within {}: calls to them fail until they are", PEER_RESOLUTION_AT_START);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        SipTransport newTransport = new SipTransport(name, config, guard, events, rateLimited, resolver);
        SipTransport.register(name, newTransport);
        SipStackImpl newStack;
        try {
            newStack = new SipStackImpl(stackProperties(name));
        } catch (PeerUnavailableException | RuntimeException e) {
            SipTransport.unregister(name, newTransport);
            newTransport.close();
            throw new IOException("cannot create SIP stack: " + e.getMessage(), e);
        }
        try {
            ListeningPoint udp = newStack.createListeningPoint(config.bindAddress(), config.port(), ListeningPoint.UDP);
            ListeningPoint tcp = newStack.createListeningPoint(config.bindAddress(), config.port(), ListeningPoint.TCP);
            SipProvider newProvider = newStack.createSipProvider(udp);
            newProvider.addListeningPoint(tcp);
            newProvider.addSipListener(new Listener());
            newStack.start();
            stack = newStack;
            provider = newProvider;
            transport = newTransport;
            stackName = name;
        } catch (InvalidArgumentException | TooManyListenersException | SipException | RuntimeException e) {
            stopStack(newStack);
            SipTransport.unregister(name, newTransport);
            newTransport.close();
            throw new IOException("cannot bind SIP on " + config.bindAddress() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        log.info("SIP listening on {}:{} UDP and TCP ({}), allowing {}", config.bindAddress(), config.port(),
                newTransport.nativeTransport() ? "epoll" : "NIO", validator.allowed());
    }

    /** Stops the stack: sockets closed, transactions dropped, every stack thread ended. Idempotent. */
    @Override
    public synchronized void close() {
        if (stack == null) {
            return;
        }
        stopStack(stack);
        SipTransport.unregister(stackName, transport);
        transport.close();
        stack = null;
        provider = null;
        transport = null;
        log.info("SIP on {}:{} stopped", config.bindAddress(), config.port());
    }

    /** Whether {@link #start()} succeeded and {@link #close()} has not been called (for {@code /readyz}). */
    public synchronized boolean isRunning() {
        return stack != null;
    }

    /** The provider, for client transactions (outbound INVITE) once started. */
    public synchronized SipProvider provider() {
        if (provider == null) {
            throw new IllegalStateException("not started");
        }
        return provider;
    }

    public SipFactories factories() {
        return factories;
    }

    public SipEndpointConfig config() {
        return config;
    }

    /** The methods this endpoint answers (its Allow header). */
    public Set<String> allowedMethods() {
        return validator.allowed();
    }

    /** Dialogs the stack holds that are not terminated (0 when stopped), for tests and metrics. */
    public synchronized int openDialogs() {
        if (stack == null) {
            return 0;
        }
        return (int) stack.getDialogs().stream().filter(d -> d.getState() != DialogState.TERMINATED).count();
    }

    /** The guard deciding which sources are heard (bans, budgets). */
    public SourceGuard guard() {
        return guard;
    }

    /** Where security events go. */
    public SecurityEvents events() {
        return events;
    }

    /** Inbound TCP connections open now (0 when stopped). */
    public synchronized int openConnections() {
        return transport == null ? 0 : transport.openConnections();
    }

    /** Messages answered 503 (or dropped) because their source exceeded its rate or the global budget. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    /** Requests refused by the validator (513, 400, 501, 405, 416, 420). */
    public long rejectedCount() {
        return rejected.get();
    }

    private Properties stackProperties(String name) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        // The transport is ours (Netty, checks at the edge), found through the registry by stack name.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PROCESSOR_FACTORY", SipMessageProcessorFactory.class.getName());
        // Every request is routed by our router, which never resolves a name from a message.
        p.setProperty("javax.sip.ROUTER_PATH", SipRouter.class.getName());
        p.setProperty("javax.sip.USE_ROUTER_FOR_ALL_URIS", "true");
        // The stack's own logging goes to DEBUG: its error lines carry whole messages.
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", SipStackLog.class.getName());
        // The call layer builds its dialogs itself (B2BUA): no automatic dialog per request.
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "off");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        // The stack's parser behind guards: one Via could hold a stack thread forever.
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", GuardedMessageParser.Factory.class.getName());
        // A completed transaction lingers (Timer J: 64*T1 for non-INVITE over UDP, RFC 3261
        // §17.2.2) only to resend its last response, which the stack keeps encoded; without this
        // it also keeps the parsed request and response, most of the live heap under load.
        p.setProperty("gov.nist.javax.sip.RELEASE_REFERENCES_STRATEGY", "Aggressive");
        return p;
    }

    /**
     * Stops a stack and ends its event thread. {@code SipStackImpl.stop()} marks the event scanner
     * stopped but leaves its non-daemon thread blocked on an empty queue (RestComm/jain-sip#198);
     * one wake-up event lets it see the flag and return. An I/O-exception event is the one kind the
     * scanner delivers without casting its source to a provider.
     */
    private static void stopStack(SipStackImpl target) {
        EventScanner scanner = target.getEventScanner();
        try {
            target.stop();
        } catch (RuntimeException race) {
            // UDPMessageProcessor.stop() walks its channel list while the channels' threads, woken by
            // the closed socket, remove themselves from it; the exception aborts the stack's loop
            // over the other processors (TCP). A second pass stops those still listed.
            log.debug("SIP stack stop interrupted ({}): stopping the rest", race.toString());
            try {
                target.stop();
            } catch (RuntimeException again) {
                log.warn("SIP stack did not stop cleanly", again);
            }
        }
        if (scanner != null) {
            scanner.forceStop();
            scanner.addEvent(new EventWrapper(new IOExceptionEvent(target, "0.0.0.0", 0, "stop"), null));
        }
    }

    private final class Listener implements SipListener {

        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            SipProvider source = (SipProvider) event.getSource();
            try {
                gate(request, source, event.getServerTransaction());
            } catch (RuntimeException e) {
                log.error("request {} dropped after an unexpected failure", request.getMethod(), e);
            }
        }

        private void gate(Request request, SipProvider sourceProvider, ServerTransaction existing) {
            SIPRequest sipRequest = (SIPRequest) request;
            InetSocketAddress source = new InetSocketAddress(sipRequest.getRemoteAddress(), sipRequest.getRemotePort());
            String method = request.getMethod();

            if (method.equals(Request.ACK)) {
                SipRequestHandler ackHandler = handlers.get(Request.ACK);
                if (ackHandler != null) {
                    dispatch(ackHandler, new InboundRequest(request, source, transportOf(request), sourceProvider, null, factories));
                }
                return;
            }
            ServerTransaction transaction = existing;
            if (transaction == null) {
                try {
                    transaction = sourceProvider.getNewServerTransaction(request);
                } catch (TransactionAlreadyExistsException e) {
                    return; // a retransmission racing its own transaction: that one answers
                } catch (SipException e) {
                    log.debug("no transaction for {} from {}: {}", method, source, e.toString());
                    transaction = null;
                }
            }
            String transport = transportOf(request);
            InboundRequest inbound = new InboundRequest(request, source, transport, sourceProvider, transaction, factories);

            Optional<Response> refusal = validator.check(request, sizeOf(sipRequest));
            if (refusal.isPresent()) {
                rejected.incrementAndGet();
                securityEvent(refusal.get().getStatusCode()).ifPresent(type ->
                        events.record(type, source, method + " refused " + refusal.get().getStatusCode()));
                log.debug("{} from {} {} refused {}", method, transport, source, refusal.get().getStatusCode());
                inbound.respond(refusal.get());
                return;
            }
            SipRequestHandler handler = handlers.get(method);
            if (handler == null && method.equals(Request.OPTIONS)) {
                inbound.respond(validator.optionsResponse(request));
                return;
            }
            dispatch(handler, inbound);
        }

        private void dispatch(SipRequestHandler handler, InboundRequest inbound) {
            try {
                handler.handle(inbound);
            } catch (RuntimeException e) {
                log.error("{} handler failed on a request from {}", inbound.method(), inbound.source(), e);
                if (!inbound.answered() && !inbound.method().equals(Request.ACK)) {
                    inbound.respond(Response.SERVER_INTERNAL_ERROR);
                }
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
            if (responses == null) {
                log.debug("stray response {} ignored", event.getResponse().getStatusCode());
                return;
            }
            try {
                responses.response(event);
            } catch (RuntimeException e) {
                log.error("response listener failed on {}", event.getResponse().getStatusCode(), e);
            }
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            if (responses == null) {
                log.debug("transaction timeout");
                return;
            }
            try {
                responses.timeout(event);
            } catch (RuntimeException e) {
                log.error("response listener failed on a timeout", e);
            }
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            if (!"stop".equals(event.getTransport())) {
                log.debug("I/O error towards {}:{} {}", event.getHost(), event.getPort(), event.getTransport());
            }
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            // Transactions end on their timers; nothing of ours hangs on them yet.
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            // Dialogs belong to the call layer, which ends them itself.
        }
    }

    /** The security event a refusal is, if any: 400, 513, 482 and 483 are; 405, 416, 420 and 501 are not. */
    private static Optional<SecurityEvent> securityEvent(int status) {
        return switch (status) {
            case Response.BAD_REQUEST -> Optional.of(SecurityEvent.MALFORMED);
            case Response.MESSAGE_TOO_LARGE -> Optional.of(SecurityEvent.OVERSIZED);
            case Response.LOOP_DETECTED, Response.TOO_MANY_HOPS -> Optional.of(SecurityEvent.LOOP);
            default -> Optional.empty();
        };
    }

    /** The transport the request came over: its flow's, never its Via's. */
    private static String transportOf(Request request) {
        if (request instanceof SIPRequest r && r.getMessageChannel() instanceof MessageChannel flow) {
            return flow.getTransport().toUpperCase(Locale.ROOT);
        }
        return "UDP";
    }

    /**
     * The size on the wire: the parser records the header section's length ({@code getSize()}),
     * the body comes on top. Re-encoded when the transport recorded nothing.
     */
    private static int sizeOf(SIPRequest request) {
        int headers = request.getSize();
        if (headers <= 0) {
            return request.encode().getBytes(StandardCharsets.UTF_8).length;
        }
        byte[] body = request.getRawContent();
        return headers + (body == null ? 0 : body.length);
    }

    /** Builds a {@link SipEndpoint}. */
    public static final class Builder {
        private final SipEndpointConfig config;
        private final Map<String, SipRequestHandler> handlers = new HashMap<>();
        private final Set<String> supportedOptions = new HashSet<>();
        private SipResponseListener responses;
        private SipFactories factories = SipFactories.create();
        private LongSupplier nanoClock = System::nanoTime;
        private SourceGuard guard;
        private SecurityEvents events;
        private final List<InetSocketAddress> peers = new ArrayList<>();

        private Builder(SipEndpointConfig config) {
            this.config = config;
        }

        /** Routes requests of {@code method} (upper case, e.g. {@code "REGISTER"}) to {@code handler}. */
        public Builder handler(String method, SipRequestHandler handler) {
            if (!method.equals(method.toUpperCase(Locale.ROOT)) || method.isBlank()) {
                throw new IllegalArgumentException("method must be an upper-case token: " + method);
            }
            handlers.put(method, handler);
            return this;
        }

        /** Where responses to the endpoint's own client transactions go (without one they are logged and dropped). */
        public Builder responses(SipResponseListener listener) {
            this.responses = listener;
            return this;
        }

        /** Declares an option tag this endpoint supports, so {@code Require: tag} passes. */
        public Builder supports(String optionTag) {
            supportedOptions.add(optionTag.toLowerCase(Locale.ROOT));
            return this;
        }

        /** The factories handlers share (one instance is enough for the whole process). */
        public Builder factories(SipFactories shared) {
            this.factories = shared;
            return this;
        }

        /** The monotonic clock of the rate limiter (tests). */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = clock;
            return this;
        }

        /** The guard shared with the authenticator, which reports failures to it (default: one of its own). */
        public Builder guard(SourceGuard shared) {
            this.guard = shared;
            return this;
        }

        /** Where security events go (default: counted, logged, not exported). */
        public Builder events(SecurityEvents shared) {
            this.events = shared;
            return this;
        }

        /**
         * Peers from the configuration (trunks), as unresolved {@code host:port}: the only names the
         * transport resolves (in the background, cached), the only addresses it opens TCP
         * connections to, and sources exempt from the per-source rate limit (not from bans or the
         * global budget).
         */
        public Builder peers(Collection<InetSocketAddress> configured) {
            peers.addAll(configured);
            return this;
        }

        public SipEndpoint build() {
            return new SipEndpoint(this);
        }
    }
}
