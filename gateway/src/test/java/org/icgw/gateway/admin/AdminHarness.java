package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.icgw.gateway.call.CallManager;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.gateway.call.CallServices;
import org.icgw.gateway.metrics.GatewayMetrics;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.SeedLoader;
import org.icgw.policy.store.StoreConfig;

/**
 * An admin server on a free loopback port over an embedded H2 store in a temporary folder,
 * provisioned with the demo seed, and an HTTP client to talk to it.
 */
final class AdminHarness implements AutoCloseable {
    static final String STAFF = "staff-token-0123456789abcdef";
    static final String INVESTIGATOR = "investigator-token-0123456789abcdef";
    static final PinHasher PINS = new PinHasher(PinHasher.Cost.FAST, "admin-test-pepper-0123456789");
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DEMO_SEED = Path.of("..", "deploy", "seed", "demo.yaml");
    static final Map<String, AdminScope> TOKENS = Map.of(STAFF, AdminScope.STAFF, INVESTIGATOR, AdminScope.INVESTIGATOR);

    final TestClock clock = new TestClock();
    final JdbcPolicyStore store;
    final CallManager calls;
    final AtomicBoolean sipBound = new AtomicBoolean(true);
    final AtomicInteger registrations = new AtomicInteger();
    final PrometheusMeterRegistry registry = GatewayMetrics.newRegistry();
    /** The server's security events, exported to {@link #registry} as the gateway's are. */
    final SecurityEvents events = new SecurityEvents(registry, 5, System::nanoTime);
    final AdminServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A harness whose call manager never starts a call. */
    AdminHarness(Path tmp) {
        this(tmp, (store, clock) -> new CallManager(new CallServices(null, store, null, null, null, CallMetrics.NONE,
                clock)));
    }

    AdminHarness(Path tmp, CallManagerFactory calls) {
        this(tmp, calls, new AdminConfig(InetAddress.getLoopbackAddress(), 0, TOKENS));
    }

    /** A harness with the server's limits given. */
    AdminHarness(Path tmp, AdminConfig config) {
        this(tmp, (store, clock) -> new CallManager(new CallServices(null, store, null, null, null, CallMetrics.NONE,
                clock)), config);
    }

    AdminHarness(Path tmp, CallManagerFactory calls, AdminConfig config) {
        this.store = PolicyStores.open(StoreConfig.embedded(tmp, "admin-test"));
        SeedLoader.load(DEMO_SEED, store, PINS, clock.instant());
        this.calls = calls.create(store, clock);
        this.server = new AdminServer(config,
                new AdminContext(store, PINS, this.calls, registrations::get, sipBound::get, registry, clock), events);
        server.start();
    }

    /** Makes the call manager once the store and clock exist. */
    @FunctionalInterface
    interface CallManagerFactory {
        CallManager create(JdbcPolicyStore store, TestClock clock);
    }

    /** One answer. */
    record Response(int status, HttpResponse<byte[]> raw) {
        String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    Response send(String method, String path, String token, String body) {
        return send(method, path, token, body, b -> b);
    }

    Response send(String method, String path, String token, String body,
                  Function<HttpRequest.Builder, HttpRequest.Builder> extra) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<byte[]> r = http.send(extra.apply(b).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token, null);
    }

    Response staff(String method, String path, String body) {
        return send(method, path, STAFF, body);
    }

    @Override
    public void close() {
        server.close();
        http.close();
        store.close();
    }
}
