package org.icgw.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.icgw.gateway.admin.AdminContext;
import org.icgw.gateway.admin.AdminServer;
import org.icgw.gateway.call.CallManager;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.gateway.call.CallServices;
import org.icgw.gateway.metrics.GatewayMetrics;
import org.icgw.gateway.metrics.MicrometerCallMetrics;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SourceGuard;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.b2bua.B2bua;
import org.icgw.gateway.sip.registrar.AuthFailureBan;
import org.icgw.gateway.sip.registrar.Authenticator;
import org.icgw.gateway.sip.registrar.Registrar;
import org.icgw.gateway.sip.registrar.Registrations;
import org.icgw.media.MediaEngine;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.policy.decision.PolicyEngine;
import org.icgw.policy.number.NumberClassifier;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.pin.PinVerifier;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.SeedLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole gateway in one process, built from a {@link GatewayConfig}:
 *
 * <pre>
 *   store (JDBC) ─► seed when empty ─► policy engine ─┐
 *   media engine (RTP) ─► prompts ────────────────────┼─► call manager ─► B2BUA ─┐
 *   metrics (Prometheus registry) ────────────────────┘                          │
 *   terminal directory (store) ─► authenticator ─► registrar ────────────────────┴─► SIP endpoint
 *   admin API, /metrics, /healthz, /readyz (HTTP, when configured) ◄── store, calls, metrics
 * </pre>
 *
 * {@link #start} builds and starts the parts in that order; {@link #close} drains the calls in
 * progress (up to the configured drain time) and stops the parts in the reverse order. A part
 * that fails to start closes those already started.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** How long terminal credentials read from the store are reused. */
    private static final Duration TERMINAL_CACHE = Duration.ofSeconds(5);

    private final GatewayConfig config;
    private final JdbcPolicyStore store;
    private final MediaEngine media;
    private final CallManager calls;
    private final Registrations registrations;
    private final B2bua b2bua;
    private final SipEndpoint sip;
    private final PrometheusMeterRegistry meters;
    private final Deque<AutoCloseable> closers;
    private boolean closed;

    private Gateway(GatewayConfig config, JdbcPolicyStore store, MediaEngine media, CallManager calls,
            Registrations registrations, B2bua b2bua, SipEndpoint sip, PrometheusMeterRegistry meters,
            Deque<AutoCloseable> closers) {
        this.config = config;
        this.store = store;
        this.media = media;
        this.calls = calls;
        this.registrations = registrations;
        this.b2bua = b2bua;
        this.sip = sip;
        this.meters = meters;
        this.closers = closers;
    }

    /**
     * Builds and starts the gateway.
     *
     * @throws IOException when SIP cannot bind, the prompts cannot be read or the recordings
     *                     folder cannot be made
     */
    public static Gateway start(GatewayConfig config) throws IOException {
        Deque<AutoCloseable> closers = new ArrayDeque<>();
        Clock clock = Clock.systemUTC();
        try {
            Files.createDirectories(config.calls().recordings());
            JdbcPolicyStore store = PolicyStores.open(config.store());
            closers.push(store);
            PinHasher pins = new PinHasher(config.pins().cost(), config.pins().pepper());
            if (config.seed().isPresent() && store.facilities().isEmpty()) {
                SeedLoader.Summary summary = SeedLoader.load(config.seed().get(), store, pins, clock.instant());
                log.info("provisioned from {}: {}", config.seed().get(), summary);
            }
            PolicyEngine policy = new PolicyEngine(store, NumberClassifier.standard(), new PinVerifier(pins));
            PromptLibrary prompts = PromptLibrary.fromClasspath("prompts", Gateway.class.getClassLoader());

            MediaEngine media = new MediaEngine(config.media());
            closers.push(media);
            PrometheusMeterRegistry meters = GatewayMetrics.newRegistry();
            closers.push(meters::close);
            CallMetrics callMetrics = new MicrometerCallMetrics(meters);
            CallManager calls = new CallManager(new CallServices(policy, store, media, prompts, config.calls(),
                    callMetrics, clock), config.store().maxWriteWait());
            Registrations registrations = new Registrations(clock);
            GatewayMetrics.bindGauges(meters, () -> calls.active().size(), registrations::activeCount);
            GatewayMetrics.bindMedia(meters, media::rtpTotals);
            GatewayMetrics.bindStoreWrites(meters, calls.storeWrites());
            store.observe(GatewayMetrics.storeObserver(meters));
            SecurityEvents securityEvents = new SecurityEvents(meters, config.sip().limits().logLinesPerSecond(),
                    System::nanoTime);
            SourceGuard guard = new SourceGuard(config.sip(), System::nanoTime);
            SipFactories factories = SipFactories.create();
            Authenticator authenticator = new Authenticator(config.registrar(),
                    new StoreTerminalDirectory(store, TERMINAL_CACHE, clock), factories, clock,
                    new AuthFailureBan(guard, securityEvents));
            B2bua b2bua = new B2bua(authenticator, registrations, calls, config.trunks().list(),
                    config.trunks().responseTimeout(), callMetrics, securityEvents);
            SipEndpoint.Builder builder = SipEndpoint.builder(config.sip()).factories(factories).guard(guard)
                    .events(securityEvents)
                    .peers(config.trunks().list().stream()
                            .map(t -> InetSocketAddress.createUnresolved(t.host(), t.port())).toList())
                    .handler("REGISTER", new Registrar(config.registrar(), authenticator, registrations, clock));
            b2bua.install(builder);
            SipEndpoint sip = builder.build();
            closers.push(b2bua);
            sip.start();
            b2bua.attach(sip);
            closers.push(sip);
            if (config.admin().isPresent()) {
                AdminServer admin = new AdminServer(config.admin().get(), new AdminContext(store, pins, calls,
                        registrations::activeCount, sip::isRunning, meters, clock), securityEvents);
                admin.start();
                closers.push(admin);
                log.info("admin API, /metrics and health on http://{}:{}", config.admin().get().bindAddress()
                        .getHostAddress(), admin.port());
            }
            // Popped first: the calls drain while SIP still runs, so their BYEs go out.
            closers.push(() -> calls.shutdown(config.drain()));
            log.info("gateway started: SIP {}:{}, trunks {}, RTP {}-{} on {}", config.sip().bindAddress(),
                    config.sip().port(), config.trunks().list(), config.media().rtpPortMin(),
                    config.media().rtpPortMax(), config.calls().mediaAddress().getHostAddress());
            return new Gateway(config, store, media, calls, registrations, b2bua, sip, meters, closers);
        } catch (IOException | RuntimeException e) {
            closeAll(closers);
            throw e;
        }
    }

    public GatewayConfig config() {
        return config;
    }

    public PolicyStore store() {
        return store;
    }

    public CallManager calls() {
        return calls;
    }

    public Registrations registrations() {
        return registrations;
    }

    public SipEndpoint sip() {
        return sip;
    }

    public MediaEngine media() {
        return media;
    }

    /** The B2BUA (its Call-ID routing, for tests). */
    public B2bua b2bua() {
        return b2bua;
    }

    /** The metrics registry; {@code scrape()} gives the Prometheus text. */
    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** Drains the calls, then stops SIP, media, metrics and the store. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeAll(closers);
        log.info("gateway stopped");
    }

    private static void closeAll(Deque<AutoCloseable> closers) {
        while (!closers.isEmpty()) {
            AutoCloseable c = closers.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
    }
}
