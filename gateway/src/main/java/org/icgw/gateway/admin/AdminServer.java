package org.icgw.gateway.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.policy.ValidationException;
import org.icgw.policy.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server: the JSON API under {@code /api/v1}, {@code /metrics},
 * {@code /healthz} and {@code /readyz} (contract, "Processes and ports" and "Admin API").
 *
 * <p>Requests are decoded by {@link AdminRequestDecoder} (Netty's HTTP/1.1 decoder with one bound
 * on request line and headers together, {@link AdminConfig#maxHeaderBytes()}: over it 431, or 414
 * for a request line alone over it) and their bodies aggregated up to
 * {@link AdminConfig#maxBodyBytes()} (over it 413); each of these refusals closes the connection.
 * {@link ReadTimeouts} cut off slow clients: a request not complete {@link AdminConfig#readTimeout()}
 * after its first byte gets 408 and the connection closes; a connection with nothing being read
 * and nothing owed (one never used included) is closed after the same time.
 *
 * <p>Every request is then served off the event loop on a virtual thread, since the store is
 * blocking JDBC; requests on one connection are answered in the order they came. Bearer tokens
 * are checked by {@link BearerTokens} (digests compared in constant time); an address that sent
 * more wrong or malformed tokens within a minute than {@link AdminConfig#authFailuresPerMinute()}
 * gets 429 for every request until its minute is over ({@link AuthFailureLimiter}). Path
 * parameters are checked against {@link PathParameters} before a handler runs. Failed tokens are
 * security events {@code admin_auth_failed}, refusals (429, 408, 413, 414, 431) {@code admin_refused}.
 * A route that changes state runs in one store transaction together with its audit-log entry, so
 * a change and its record are written both or neither.
 *
 * <p>Use: {@code new AdminServer(config, context, events)}, {@link #start()} (binds, or throws),
 * {@link #port()}, and {@link #close()} (stops listening and waits briefly for requests in flight).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    /**
     * Answers one connection may owe (pipelined requests read but not yet answered) before the
     * server stops reading it until some are written: a client that sends without reading cannot
     * queue unbounded work. Browsers and API clients do not pipeline, so they never meet it.
     */
    static final int MAX_OWED_ANSWERS = 32;

    private final AdminConfig config;
    private final AdminContext context;
    private final SecurityEvents events;
    private final Router router;
    private final BearerTokens tokens;
    private final AuthFailureLimiter failures;
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private EventLoopGroup group;
    private Channel listener;

    /** A server whose security events are counted but not exported (tests). */
    public AdminServer(AdminConfig config, AdminContext context) {
        this(config, context, SecurityEvents.unregistered());
    }

    /**
     * @param events where failed tokens and refusals are counted and logged (the gateway's own)
     */
    public AdminServer(AdminConfig config, AdminContext context, SecurityEvents events) {
        this.config = config;
        this.context = context;
        this.events = events;
        this.router = AdminApi.router(context);
        this.tokens = new BearerTokens(config.tokens());
        this.failures = new AuthFailureLimiter(config.authFailuresPerMinute(), System::nanoTime);
    }

    /**
     * Binds the listening socket.
     *
     * @throws IllegalStateException when the address cannot be bound (the message names it)
     */
    public synchronized void start() {
        if (listener != null) {
            throw new IllegalStateException("admin server already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Connection connection = new Connection(ch);
                        ch.pipeline().addLast(new AdminRequestDecoder(config.maxHeaderBytes(), connection.timeouts));
                        ch.pipeline().addLast(new HttpResponseEncoder());
                        ch.pipeline().addLast(new BodyAggregator(config.maxBodyBytes()));
                        ch.pipeline().addLast(connection);
                    }
                });
        var bound = b.bind(config.bindAddress(), config.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("admin: cannot listen on " + config.bindAddress().getHostAddress() + ":"
                    + config.port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        listener = bound.channel();
        LOG.info("admin API on http://{}:{}/api/v1 ({} tokens)", config.bindAddress().getHostAddress(), port(),
                tokens.size());
    }

    /** The bound port (the configured one, or the one picked for port 0). */
    public int port() {
        if (listener == null) {
            throw new IllegalStateException("admin server not started");
        }
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The routes served, for the OpenAPI test. */
    public Router router() {
        return router;
    }

    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        listener = null;
    }

    // ------------------------------------------------------------------ serving

    /** What the event loop hands the worker: plain values, no reference-counted buffers. */
    record Incoming(InetSocketAddress source, String method, String uri, Optional<String> authorization,
                    Optional<String> contentType, byte[] body) {
    }

    AdminResponse serve(Incoming in) {
        Optional<Duration> blocked = failures.blockedFor(in.source().getAddress());
        if (blocked.isPresent()) {
            return tooManyFailures(in, blocked.get());
        }
        QueryStringDecoder qs = new QueryStringDecoder(in.uri());
        Router.Match match;
        try {
            qs.path();
            qs.parameters();
            match = router.match(in.method(), qs.rawPath());
        } catch (IllegalArgumentException e) {
            return AdminResponse.problem(Problem.badRequest("the request target is not valid percent-encoded UTF-8"));
        }
        switch (match) {
            case Router.Match.Missing m -> {
                return AdminResponse.problem(Problem.notFound("no route for " + qs.path()));
            }
            case Router.Match.WrongMethod w -> {
                return AdminResponse.problem(Problem.methodNotAllowed(in.method() + " is not served on " + qs.path()))
                        .withHeader("Allow", String.join(", ", w.allowed()));
            }
            case Router.Match.Found found -> {
                return serve(in, qs, found.route(), found.params());
            }
        }
    }

    private AdminResponse serve(Incoming in, QueryStringDecoder qs, Route route, Map<String, String> params) {
        String actor = "anonymous";
        if (route.scope().isPresent()) {
            Optional<BearerTokens.Token> who;
            switch (authenticate(in, route)) {
                case AuthFailureLimiter.Attempt.Blocked<BearerTokens.Check> b -> {
                    return tooManyFailures(in, b.retryAfter());
                }
                case AuthFailureLimiter.Attempt.Checked<BearerTokens.Check> c -> who =
                        c.result() instanceof BearerTokens.Check.Valid v ? Optional.of(v.token()) : Optional.empty();
            }
            if (who.isEmpty()) {
                // RFC 6750 section 3: a request without valid credentials is challenged.
                return AdminResponse.problem(Problem.unauthorized()).withHeader("WWW-Authenticate", "Bearer realm=\"icgw\"");
            }
            AdminScope required = route.scope().get();
            if (!who.get().scope().covers(required)) {
                return AdminResponse.problem(Problem.forbidden(required)).withHeader("WWW-Authenticate",
                        "Bearer realm=\"icgw\", error=\"insufficient_scope\", scope=\"" + required.wireName() + "\"");
            }
            actor = who.get().actor();
        }
        Optional<Problem> badParam = PathParameters.check(params);
        if (badParam.isPresent()) {
            return AdminResponse.problem(badParam.get());
        }
        if (in.body().length > 0 && in.contentType().map(ct -> !ct.toLowerCase(java.util.Locale.ROOT)
                .startsWith(AdminResponse.JSON)).orElse(false)) {
            return AdminResponse.problem(Problem.unsupportedMediaType("request bodies are " + AdminResponse.JSON));
        }
        AdminRequest request = new AdminRequest(in.method(), qs.path(), params, qs.parameters(), in.body(), actor);
        try {
            if (!route.isChange()) {
                return route.handler().handle(request);
            }
            AdminResponse[] out = new AdminResponse[1];
            String who = actor;
            context.store().atomically(s -> {
                out[0] = route.handler().handle(request);
                if (out[0].status() < 300) {
                    s.audit(who, request.method(), request.path(), out[0].entityId(), context.clock().instant());
                }
            });
            return out[0];
        } catch (ProblemException e) {
            return AdminResponse.problem(e.problem());
        } catch (ValidationException e) {
            return AdminResponse.problem(Problem.invalid(e.field(), e.problem()));
        } catch (StoreException e) {
            LOG.warn("admin {} {}: store unavailable: {}", in.method(), qs.path(), e.getMessage());
            return AdminResponse.problem(Problem.storeUnavailable());
        } catch (RuntimeException e) {
            LOG.error("admin {} {} failed", in.method(), qs.path(), e);
            return AdminResponse.problem(Problem.internal());
        }
    }

    /** Checks the request's token unless its address is over its failure limit; a failure is a security event. */
    private AuthFailureLimiter.Attempt<BearerTokens.Check> authenticate(Incoming in, Route route) {
        var attempt = failures.attempt(in.source().getAddress(), new AuthFailureLimiter.Check<BearerTokens.Check>() {
            @Override
            public BearerTokens.Check run() {
                return tokens.check(in.authorization());
            }

            @Override
            public boolean failed(BearerTokens.Check result) {
                return result instanceof BearerTokens.Check.Wrong || result instanceof BearerTokens.Check.Malformed;
            }
        });
        if (attempt instanceof AuthFailureLimiter.Attempt.Checked<BearerTokens.Check> c && c.failed()) {
            // The route's pattern, never the path or the token: nothing the client chose is logged.
            events.record(SecurityEvent.ADMIN_AUTH_FAILED, in.source(),
                    (c.result() instanceof BearerTokens.Check.Malformed ? "malformed Authorization header"
                            : "wrong bearer token") + " on " + in.method() + " " + route.pattern());
        }
        return attempt;
    }

    private AdminResponse tooManyFailures(Incoming in, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        events.record(SecurityEvent.ADMIN_REFUSED, in.source(),
                "429: over " + config.authFailuresPerMinute() + " failed tokens a minute");
        return AdminResponse.problem(Problem.tooManyFailures(seconds)).withHeader("Retry-After", Long.toString(seconds));
    }

    private static FullHttpResponse toHttp(AdminResponse r, boolean keepAlive, boolean head) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        if (r.status() != 204) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        resp.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        r.headers().forEach((k, v) -> resp.headers().set(k, v));
        if (!keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return resp;
    }

    /** Answers a body over the limit with a problem document, in turn, instead of Netty's bare 413. */
    private static final class BodyAggregator extends HttpObjectAggregator {
        private final int limit;

        BodyAggregator(int limit) {
            // An Expect: 100-continue request over the limit gets Netty's 413 and the connection closes.
            super(limit, true);
            this.limit = limit;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // The aggregator discards the rest of this body; the connection closes once it is answered.
            ctx.fireChannelRead(new Refusal(Problem.tooLarge(limit), "request body over " + limit + " bytes"));
        }
    }

    /** How a connection ends after an answer. */
    private enum After {
        /** The connection stays open for the next request. */
        KEEP,
        /** The connection closes: the request was read whole. */
        CLOSE,
        /**
         * Output is shut and the connection closes when the client closes, or after the read
         * timeout: a client still sending the refused request reads the answer instead of a reset.
         */
        LINGER
    }

    /**
     * One per connection: hands requests to virtual threads, writes the answers in order, and runs
     * the connection's {@link ReadTimeouts}. Event-loop confined but for the workers' writes.
     */
    private final class Connection extends ChannelInboundHandlerAdapter implements ReadTimeouts.Expiry {
        private final SocketChannel channel;
        final ReadTimeouts timeouts;
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.timeouts = new ReadTimeouts(channel.eventLoop(), config.readTimeout(), this);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            timeouts.connected();
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            timeouts.stop();
            super.channelInactive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!channel.isActive()) {
                    return;
                }
                switch (msg) {
                    case Refusal r -> refuse(r.problem(), r.reason(), After.LINGER);
                    case FullHttpRequest req -> request(req);
                    default -> LOG.debug("admin connection: unexpected {}", msg.getClass().getName());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void request(FullHttpRequest req) {
            if (timeouts.isClosing()) {
                return;
            }
            if (req.decoderResult().isFailure()) {
                Throwable cause = req.decoderResult().cause();
                switch (cause) {
                    case TooLongHttpLineException e -> refuse(Problem.uriTooLong(config.maxHeaderBytes()),
                            "request line over " + config.maxHeaderBytes() + " bytes", After.LINGER);
                    case TooLongHttpHeaderException e -> refuse(Problem.headerTooLarge(config.maxHeaderBytes()),
                            "request head over " + config.maxHeaderBytes() + " bytes", After.LINGER);
                    default -> {
                        timeouts.closing();
                        answer(AdminResponse.problem(Problem.badRequest("malformed HTTP request")), false, After.LINGER);
                    }
                }
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Incoming in = new Incoming(channel.remoteAddress(), req.method().name(), req.uri(),
                    Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION)),
                    Optional.ofNullable(req.headers().get(HttpHeaderNames.CONTENT_TYPE)),
                    ByteBufUtil.getBytes(req.content()));
            boolean head = req.method().equals(HttpMethod.HEAD);
            if (timeouts.owed() >= MAX_OWED_ANSWERS) {
                channel.config().setAutoRead(false);
            }
            queue(() -> {
                AdminResponse r;
                try {
                    r = serve(in);
                } catch (RuntimeException e) {
                    LOG.error("admin request failed", e);
                    r = AdminResponse.problem(Problem.internal());
                }
                write(r, keepAlive, head, keepAlive ? After.KEEP : After.CLOSE);
            });
        }

        /** Refuses the request being read or just read; nothing after it is read or served. */
        private void refuse(Problem problem, String reason, After after) {
            events.record(SecurityEvent.ADMIN_REFUSED, channel.remoteAddress(),
                    problem.status() + ": " + reason);
            timeouts.closing();
            answer(AdminResponse.problem(problem), false, after);
        }

        /** Queues an answer behind those owed before it. */
        private void answer(AdminResponse r, boolean keepAlive, After after) {
            queue(() -> write(r, keepAlive, false, after));
        }

        /** Runs {@code task} on a worker once the tasks queued before it have run, whether they failed or not. */
        private void queue(Runnable task) {
            try {
                tail = tail.handleAsync((done, failed) -> {
                    task.run();
                    return null;
                }, workers);
            } catch (RejectedExecutionException e) {
                shuttingDown();
            }
        }

        private void shuttingDown() {
            write(AdminResponse.problem(new Problem("urn:icgw:problem:shutting-down", "Service unavailable", 503,
                    "the gateway is shutting down", Optional.empty())), false, false, After.CLOSE);
        }

        private void write(AdminResponse r, boolean keepAlive, boolean head, After after) {
            channel.writeAndFlush(toHttp(r, keepAlive, head)).addListener(f -> {
                timeouts.answered();
                if (timeouts.owed() < MAX_OWED_ANSWERS && !channel.config().isAutoRead()) {
                    channel.config().setAutoRead(true);
                }
                switch (after) {
                    case KEEP -> { }
                    case CLOSE -> channel.close();
                    case LINGER -> {
                        channel.shutdownOutput();
                        timeouts.lingering();
                    }
                }
            });
        }

        @Override
        public void requestTimedOut() {
            refuse(Problem.requestTimeout(config.readTimeout()), "request not complete in "
                    + config.readTimeout().toMillis() + " ms", After.CLOSE);
        }

        @Override
        public void idle() {
            LOG.debug("admin connection {} idle for {}: closed", channel.remoteAddress(), config.readTimeout());
            channel.close();
        }

        @Override
        public void lingerOver() {
            channel.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("admin connection {} failed: {}", channel.remoteAddress(), cause.toString());
            channel.close();
        }
    }
}
