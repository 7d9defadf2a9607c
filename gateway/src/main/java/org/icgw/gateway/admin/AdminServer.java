package org.icgw.gateway.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
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
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.icgw.policy.ValidationException;
import org.icgw.policy.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server: the JSON API under {@code /api/v1}, {@code /metrics},
 * {@code /healthz} and {@code /readyz} (contract, "Processes and ports" and "Admin API").
 *
 * <p>Netty's HTTP/1.1 codec decodes requests and aggregates each body up to
 * {@link AdminConfig#maxBodyBytes()} (larger: 413). Every request is then served off the event
 * loop on a virtual thread, since the store is blocking JDBC; requests on one connection are
 * answered in the order they came. A route that changes state runs in one store transaction
 * together with its audit-log entry, so a change and its record are written both or neither.
 *
 * <p>Use: {@code new AdminServer(config, context)}, {@link #start()} (binds, or throws),
 * {@link #port()}, and {@link #close()} (stops listening and waits briefly for requests in flight).
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
    private static final String BEARER = "Bearer ";

    private final AdminConfig config;
    private final AdminContext context;
    private final Router router;
    private final List<TokenEntry> tokens = new ArrayList<>();
    private final ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
    private EventLoopGroup group;
    private Channel listener;

    /** A configured token, kept only as its SHA-256 digest. */
    private record TokenEntry(byte[] digest, AdminScope scope, String actor) {
    }

    public AdminServer(AdminConfig config, AdminContext context) {
        this.config = config;
        this.context = context;
        this.router = AdminApi.router(context);
        for (Map.Entry<String, AdminScope> t : config.tokens().entrySet()) {
            byte[] d = sha256(t.getKey());
            tokens.add(new TokenEntry(d, t.getValue(),
                    t.getValue().wireName() + ":" + HexFormat.of().formatHex(d, 0, 4)));
        }
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
                        ch.pipeline().addLast(new HttpServerCodec());
                        ch.pipeline().addLast(new BodyAggregator(config.maxBodyBytes()));
                        ch.pipeline().addLast(new RequestHandler());
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
    private record Incoming(String method, String uri, Optional<String> authorization, Optional<String> contentType,
                            byte[] body) {
    }

    AdminResponse serve(Incoming in) {
        QueryStringDecoder qs = new QueryStringDecoder(in.uri());
        Router.Match match = router.match(in.method(), qs.rawPath());
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
            Optional<TokenEntry> who = authenticate(in.authorization());
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

    private Optional<TokenEntry> authenticate(Optional<String> header) {
        if (header.isEmpty() || !header.get().regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        byte[] presented = sha256(header.get().substring(BEARER.length()).trim());
        TokenEntry found = null;
        for (TokenEntry t : tokens) {
            if (MessageDigest.isEqual(t.digest(), presented)) {
                found = t;
            }
        }
        return Optional.ofNullable(found);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static FullHttpResponse toHttp(AdminResponse r, boolean keepAlive) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                Unpooled.wrappedBuffer(r.body()));
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

    private static void write(ChannelHandlerContext ctx, AdminResponse r, boolean keepAlive) {
        var f = ctx.writeAndFlush(toHttp(r, keepAlive));
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Answers a body over the limit with a problem document instead of Netty's bare 413. */
    private static final class BodyAggregator extends HttpObjectAggregator {
        private final int limit;

        BodyAggregator(int limit) {
            super(limit);
            this.limit = limit;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            if (!(oversized instanceof HttpRequest request)) {
                super.handleOversizedMessage(ctx, oversized);
                return;
            }
            // The aggregator discards the rest of this body; a keep-alive connection stays usable.
            boolean keepAlive = HttpUtil.isKeepAlive(request) && !HttpUtil.is100ContinueExpected(request);
            write(ctx, AdminResponse.problem(Problem.tooLarge(limit)), keepAlive);
        }
    }

    /** One per connection: hands requests to virtual threads and writes the answers in order. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (req.decoderResult().isFailure()) {
                write(ctx, AdminResponse.problem(Problem.badRequest("malformed HTTP request")), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            Incoming in = new Incoming(req.method().name(), req.uri(),
                    Optional.ofNullable(req.headers().get(HttpHeaderNames.AUTHORIZATION)),
                    Optional.ofNullable(req.headers().get(HttpHeaderNames.CONTENT_TYPE)),
                    ByteBufUtil.getBytes(req.content()));
            try {
                tail = tail.thenRunAsync(() -> {
                    AdminResponse r;
                    try {
                        r = serve(in);
                    } catch (RuntimeException e) {
                        LOG.error("admin request failed", e);
                        r = AdminResponse.problem(Problem.internal());
                    }
                    write(ctx, r, keepAlive);
                }, workers);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                write(ctx, AdminResponse.problem(new Problem("urn:icgw:problem:shutting-down", "Service unavailable",
                        503, "the gateway is shutting down", Optional.empty())), false);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
