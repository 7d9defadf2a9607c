package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.icgw.gateway.admin.AdminHarness.INVESTIGATOR;
import static org.icgw.gateway.admin.AdminHarness.STAFF;
import static org.icgw.gateway.admin.RawHttpClient.get;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The admin server under attack, over real sockets on loopback (issue 10): token guessing, heads
 * and bodies over their bounds, slow and silent clients, and path parameters of the wrong shape.
 * The server runs with small limits: 1024-byte heads and bodies, a 300 ms read timeout, 10 failed
 * tokens a minute.
 */
class AdminHardeningTest {
    private static final int MAX_HEAD = 1024;
    private static final int MAX_BODY = 1024;
    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final int FAILURES = 10;
    /** Slack for a loaded machine on top of the read timeout. */
    private static final long MARGIN_MS = 1_500;
    private static final String WRONG = "wrong-token-for-guessing-0123456789";
    private static final String FACILITIES = "/api/v1/facilities";

    @TempDir
    Path tmp;
    private AdminHarness h;
    private int port;

    @BeforeEach
    void start() {
        h = new AdminHarness(tmp.resolve("db"), new AdminConfig(InetAddress.getLoopbackAddress(), 0,
                AdminHarness.TOKENS, MAX_BODY, MAX_HEAD, TIMEOUT, FAILURES));
        port = h.server.port();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static JsonNode json(RawHttpClient.Reply r) {
        try {
            return AdminHarness.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(r.text(), e);
        }
    }

    // ------------------------------------------------------------------ token guessing

    @Test
    void pastTheLimitOfWrongTokensAnAddressGets429EvenWithTheRightOneWhileAnotherAddressIsServed() {
        Logger security = (Logger) LoggerFactory.getLogger(SecurityEvents.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(security.getLoggerContext());
        lines.start();
        security.addAppender(lines);
        try (RawHttpClient a = new RawHttpClient(port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(a.exchange(get(FACILITIES, null)).status()).as("no token is no failure").isEqualTo(401);
            }
            for (int i = 0; i < FAILURES; i++) {
                RawHttpClient.Reply r = i % 2 == 0 ? a.exchange(get(FACILITIES, WRONG + i))
                        : a.exchange("GET " + FACILITIES + " HTTP/1.1\r\nAuthorization: Basic " + WRONG + "\r\n\r\n");
                assertThat(r.status()).as("failure %d", i + 1).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"icgw\"");
            }
            RawHttpClient.Reply past = a.exchange(get(FACILITIES, WRONG));
            assertThat(past.status()).isEqualTo(429);
            assertThat(past.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(json(past).get("status").asInt()).isEqualTo(429);
            assertThat(Integer.parseInt(past.header("Retry-After"))).isBetween(1, 60);

            assertThat(a.exchange(get(FACILITIES, STAFF)).status()).as("the right token, same address").isEqualTo(429);
            assertThat(a.exchange(get("/healthz", null)).status()).as("every request").isEqualTo(429);
        } finally {
            security.detachAppender(lines);
        }
        try (RawHttpClient b = new RawHttpClient(port, RawHttpClient.loopback(2), 0)) {
            RawHttpClient.Reply served = b.exchange(get(FACILITIES, STAFF));
            assertThat(served.status()).isEqualTo(200);
            assertThat(json(served).get("items").size()).isPositive();
            assertThat(b.exchange(get("/metrics", null)).text())
                    .contains("icgw_security_events_total{type=\"admin_auth_failed\"} 10.0")
                    .contains("icgw_security_events_total{type=\"admin_refused\"} 3.0");
        }
        assertThat(h.events.count(SecurityEvent.ADMIN_AUTH_FAILED)).isEqualTo(FAILURES);
        assertThat(h.events.count(SecurityEvent.ADMIN_REFUSED)).isEqualTo(3);

        List<String> logged = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(logged).filteredOn(l -> l.startsWith("security event admin_auth_failed from 127.0.0.1:"))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).containsAnyOf("wrong bearer token on GET /api/v1/facilities",
                        "malformed Authorization header on GET /api/v1/facilities"));
        assertThat(logged).filteredOn(l -> l.startsWith("security event admin_refused from 127.0.0.1:")).isNotEmpty();
        assertThat(lines.list).allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.WARN));
        assertThat(logged).noneMatch(l -> l.contains(WRONG) || l.contains(STAFF) || l.contains("127.0.0.2"));
    }

    // ------------------------------------------------------------------ sizes

    /** A GET whose request line and headers are exactly {@code size} bytes. */
    private static String head(String path, int size) {
        String start = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ";
        String end = "\r\n\r\n";
        return start + "p".repeat(size - start.length() - end.length()) + end;
    }

    @Test
    void aHeadAtTheBoundIsServedAndOneByteMoreIs431ThenTheConnectionCloses() {
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(head("/healthz", MAX_HEAD)).hasSize(MAX_HEAD);
            assertThat(c.exchange(head("/healthz", MAX_HEAD)).status()).isEqualTo(200);
            RawHttpClient.Reply over = c.exchange(head("/healthz", MAX_HEAD + 1));
            assertThat(over.status()).isEqualTo(431);
            assertThat(over.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(over.header("Connection")).isEqualTo("close");
            assertThat(json(over).get("detail").asText()).isEqualTo("the request line and headers exceed 1024 bytes");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Reply longUri = c.exchange("GET /" + "a".repeat(MAX_HEAD) + " HTTP/1.1\r\n\r\n");
            assertThat(longUri.status()).isEqualTo(414);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(h.events.count(SecurityEvent.ADMIN_REFUSED)).isEqualTo(2);
    }

    private static String post(String path, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + STAFF
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** A block's JSON padded with white space to exactly {@code size} bytes. */
    private static String block(String number, int size) {
        String json = "{\"number\":\"" + number + "\",\"scope\":\"all\"}";
        return json + " ".repeat(size - json.length());
    }

    @Test
    void aBodyAtTheBoundIsTakenAndOneByteMoreIs413ThenTheConnectionCloses() {
        int before = h.store.blocks(true).size();
        try (RawHttpClient c = new RawHttpClient(port)) {
            assertThat(c.exchange(post("/api/v1/blocks", block("+15735550111", MAX_BODY))).status()).isEqualTo(201);
            RawHttpClient.Reply over = c.exchange(post("/api/v1/blocks", block("+15735550112", MAX_BODY + 1)));
            assertThat(over.status()).isEqualTo(413);
            assertThat(over.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(h.store.blocks(true)).hasSize(before + 1)
                .extracting(b -> b.number()).contains("+15735550111").doesNotContain("+15735550112");
        assertThat(h.events.count(SecurityEvent.ADMIN_REFUSED)).isEqualTo(1);
    }

    // ------------------------------------------------------------------ slow and silent clients

    @Test
    void aSlowHeaderClientGets408AndIsClosedWithinTheReadTimeoutWhileAnotherIsServed() {
        try (RawHttpClient slow = new RawHttpClient(port)) {
            long t0 = System.nanoTime();
            slow.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            try (RawHttpClient other = new RawHttpClient(port)) {
                assertThat(other.exchange(get("/healthz", null)).status()).isEqualTo(200);
            }
            RawHttpClient.Reply r = slow.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(slow.closedByServer()).isTrue();
            assertThat(millisSince(t0)).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + MARGIN_MS);
        }
        assertThat(h.events.count(SecurityEvent.ADMIN_REFUSED)).isEqualTo(1);
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffAtTheTimeoutOfItsFirstByte() throws Exception {
        try (RawHttpClient slow = new RawHttpClient(port)) {
            byte[] request = (head("/healthz", MAX_HEAD)).getBytes(StandardCharsets.ISO_8859_1);
            long t0 = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    // One byte every 20 ms: each within any per-read idle limit, the whole far beyond the timeout.
                    for (int i = 0; i < request.length; i++) {
                        slow.send(new byte[] {request[i]});
                        Thread.sleep(20);
                    }
                } catch (UncheckedIOException | InterruptedException e) {
                    // the server closed the connection
                }
            });
            assertThat(slow.read().status()).isEqualTo(408);
            assertThat(slow.closedByServer()).isTrue();
            assertThat(millisSince(t0)).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + MARGIN_MS);
            slow.close();
            trickle.join(Duration.ofSeconds(30));
            assertThat(trickle.isAlive()).isFalse();
        }
    }

    @Test
    void halfOpenAndIdleConnectionsAreClosedAfterTheReadTimeout() {
        long t0 = System.nanoTime();
        try (RawHttpClient silent = new RawHttpClient(port)) {
            assertThat(silent.closedByServer()).isTrue();
            assertThat(millisSince(t0)).isBetween(TIMEOUT.toMillis(), TIMEOUT.toMillis() + MARGIN_MS);
        }
        try (RawHttpClient used = new RawHttpClient(port)) {
            assertThat(used.exchange(get("/healthz", null)).status()).isEqualTo(200);
            long t1 = System.nanoTime();
            assertThat(used.closedByServer()).as("idle after its answer").isTrue();
            assertThat(millisSince(t1)).isBetween(TIMEOUT.toMillis() - 50, TIMEOUT.toMillis() + MARGIN_MS);
        }
    }

    @Test
    void threeHundredHalfOpenConnectionsAreAllClosedWhileAnotherClientIsServed() {
        List<RawHttpClient> open = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                open.add(new RawHttpClient(port));
            }
            try (RawHttpClient other = new RawHttpClient(port, RawHttpClient.loopback(3), 0)) {
                assertThat(other.exchange(get("/healthz", null)).status()).isEqualTo(200);
            }
            for (RawHttpClient c : open) {
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(millisSince(t0)).isLessThan(TIMEOUT.toMillis() + 3 * MARGIN_MS);
        } finally {
            open.forEach(RawHttpClient::close);
        }
    }

    @Test
    void aLongDownloadToASlowReaderIsNotCutByTheTimeouts() throws Exception {
        byte[] wav = new byte[12 << 20];
        for (int i = 0; i < wav.length; i++) {
            wav[i] = (byte) (i * 31 + (i >> 12));
        }
        Path file = tmp.resolve("big.wav");
        Files.write(file, wav);
        Instant t = Instant.parse("2026-03-01T15:00:00Z");
        h.store.saveCallRecord(new CallRecord("c-big", Optional.of("osage-county-jail"), Optional.of("pod-a-phone-1"),
                Optional.of("inm-1001"), Optional.of("acct-reyes-family"), "5735550123", Optional.of("+15735550123"),
                Optional.of(CallClass.LOCAL), t, Optional.of(t.plusSeconds(8)), Optional.of(t.plusSeconds(20)),
                t.plusSeconds(800), 780, 65, Disposition.COMPLETED, Optional.empty(), List.of(),
                Optional.of(file.toString())));
        try (RawHttpClient reader = new RawHttpClient(port, InetAddress.getLoopbackAddress(), 16 * 1024)) {
            reader.send(get("/api/v1/recordings/c-big", INVESTIGATOR));
            RawHttpClient.Reply head = reader.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(wav.length));
            byte[] first = reader.readBytes(64 * 1024);
            // The reader stops reading for three read timeouts while the server still has megabytes to send.
            Thread.sleep(TIMEOUT.toMillis() * 3);
            byte[] rest = reader.readBytes(wav.length - first.length);
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertThat(all).hasSize(wav.length).isEqualTo(wav);
        }
    }

    @Test
    void pipelinedRequestsPastTheOwedBoundAreAllAnsweredInOrder() {
        int n = AdminServer.MAX_OWED_ANSWERS * 4 + 1;
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            burst.append(get(i % 2 == 0 ? "/healthz" : "/nothing-" + i, null));
        }
        try (RawHttpClient c = new RawHttpClient(port)) {
            c.send(burst.toString());
            for (int i = 0; i < n; i++) {
                RawHttpClient.Reply r = c.read();
                assertThat(r.status()).as("answer %d", i).isEqualTo(i % 2 == 0 ? 200 : 404);
                if (i % 2 == 1) {
                    assertThat(json(r).get("detail").asText()).isEqualTo("no route for /nothing-" + i);
                }
            }
            assertThat(c.exchange(get("/healthz", null)).status()).isEqualTo(200);
        }
    }

    // ------------------------------------------------------------------ path parameters

    private void refused(String path, String token, String field) {
        refused("GET", path, token, field);
    }

    private void refused(String method, String path, String token, String field) {
        try (RawHttpClient c = new RawHttpClient(port)) {
            RawHttpClient.Reply r = c.exchange(method + " " + path + " HTTP/1.1\r\nAuthorization: Bearer " + token
                    + "\r\n\r\n");
            assertThat(r.status()).as(path).isEqualTo(400);
            assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(json(r).get("field").asText()).as(path).isEqualTo(field);
            assertThat(r.text()).doesNotContain("passwd");
        }
    }

    private int status(String method, String path, String token) {
        try (RawHttpClient c = new RawHttpClient(port)) {
            return c.exchange(method + " " + path + " HTTP/1.1\r\nAuthorization: Bearer " + token + "\r\n\r\n").status();
        }
    }

    @Test
    void pathParametersOfTheWrongShapeGet400NamingThemBeforeTheStoreIsAsked() {
        refused("/api/v1/recordings/..%2f..%2fetc%2fpasswd", INVESTIGATOR, "call_id");
        refused("/api/v1/recordings/..%2F..%2Fetc%2Fpasswd", INVESTIGATOR, "call_id");
        refused("/api/v1/recordings/a%00b", INVESTIGATOR, "call_id");
        refused("/api/v1/recordings/" + "a".repeat(300), INVESTIGATOR, "call_id");
        refused("/api/v1/recordings/..", INVESTIGATOR, "call_id");
        refused("/api/v1/cdrs/" + "c".repeat(129), STAFF, "call_id");
        refused("/api/v1/inmates/" + "i".repeat(65), STAFF, "id");
        refused("/api/v1/facilities/a%00b", STAFF, "id");
        refused("/api/v1/accounts/%2e%2e", STAFF, "id");
        refused("/api/v1/terminals/a%2fb", STAFF, "id");
        refused("DELETE", "/api/v1/inmates/inm-1001/allowed_numbers/..%2f1", STAFF, "number");
        refused("DELETE", "/api/v1/calls/..%2fx", INVESTIGATOR, "id");
        refused("PUT", "/api/v1/facilities/osage-county-jail/rates/" + "x".repeat(17), STAFF, "call_class");
        assertThat(status("GET", "/api/v1/recordings/%zz", INVESTIGATOR)).as("bad escape: 400, not 500").isEqualTo(400);
        assertThat(status("GET", "/api/v1/recordings/../../etc/passwd", INVESTIGATOR)).isEqualTo(404);

        assertThat(status("GET", "/api/v1/cdrs/" + "c".repeat(128), STAFF)).isEqualTo(404);
        assertThat(status("GET", "/api/v1/inmates/" + "i".repeat(64), STAFF)).isEqualTo(404);
        assertThat(status("GET", "/api/v1/recordings/" + "a".repeat(300), STAFF)).as("scope first").isEqualTo(403);

        h.store.close();
        refused("/api/v1/recordings/..%2f..%2fetc%2fpasswd", INVESTIGATOR, "call_id");
        refused("/api/v1/facilities/a%00b", STAFF, "id");
        assertThat(status("GET", "/api/v1/facilities/osage-county-jail", STAFF)).as("the store is down").isEqualTo(503);
    }
}
