package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.SipText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the transport does with input it cannot use: a fixed 400 or 513 without a body when the
 * request can be answered, nothing otherwise; never an echo of the request; every parse error
 * counted and charged to its source.
 */
class MalformedInputTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    /** How long to listen for an answer that must not come. */
    private static final Duration SILENCE = Duration.ofMillis(400);

    private final SecurityEvents events = SecurityEvents.unregistered();
    private SipEndpoint endpoint;
    private int port;

    private void start(SipEndpointConfig config, long frozenClock) throws Exception {
        port = FreePorts.udpAndTcp();
        SipEndpoint.Builder builder = SipEndpoint.builder(config.withPort(port)).events(events)
                .handler("REGISTER", r -> r.respond(200));
        if (frozenClock >= 0) {
            builder.nanoClock(() -> frozenClock);
        }
        endpoint = builder.build();
        endpoint.start();
    }

    private void start() throws Exception {
        start(SipEndpointConfig.defaults("127.0.0.1").withRateLimit(1000, 1000), -1);
    }

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private RawSipClient client(String transport) throws Exception {
        return transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port);
    }

    private static String body(String message) {
        return message.split("\r\n\r\n", 2)[1];
    }

    /** A fixed status line and nothing after the header section. */
    private static void assertBare(String response, String statusLine) {
        assertThat(response.lines().findFirst()).contains(statusLine);
        assertThat(RawSipClient.header(response, "Content-Length")).contains("0");
        assertThat(RawSipClient.header(response, "Content-Type")).isEmpty();
        assertThat(body(response)).isEmpty();
    }

    /** The client's flow still works: a good request gets 200. */
    private void assertStillServed(RawSipClient c, String method) throws Exception {
        c.send(SipText.request(c, method, port));
        assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void viaPort70000Gets400WithTheFixedReasonAndNoBody(String transport) throws Exception {
        start();
        try (RawSipClient c = client(transport)) {
            c.send(SipText.request(c, "OPTIONS", port).replace(":" + c.localPort() + ";branch", ":70000;branch"));

            String response = c.receive(WAIT).orElseThrow();

            assertBare(response, "SIP/2.0 400 Bad Request");
            assertStillServed(c, "OPTIONS"); // the connection is still usable after a 400 it could frame
        }
        assertThat(events.count(SecurityEvent.MALFORMED)).isEqualTo(1);
    }

    @Test
    void viaPort65535IsServed() throws Exception {
        start();
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(SipText.request(c, "OPTIONS", port).replace(":" + c.localPort() + ";branch", ":65535;branch"));

            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
        }
        assertThat(events.count(SecurityEvent.MALFORMED)).isZero();
    }

    @Test
    void truncatedRequestGets400WithoutEchoingAnythingOfIt() throws Exception {
        start();
        String marker = "MARKER" + SipFactories.newTag();
        try (RawSipClient c = RawSipClient.udp(port)) {
            String whole = SipText.request(c, "REGISTER", port, "Subject: " + marker + "\r\n", marker + " body " + marker);
            String truncated = whole.replaceFirst("Content-Length: \\d+", "Content-Length: 500");
            c.send(truncated);

            String response = c.receive(WAIT).orElseThrow();

            assertBare(response, "SIP/2.0 400 Bad Request");
            assertThat(response).doesNotContain(marker);
            assertThat(response.length()).isLessThan(whole.length());
        }
        assertThat(events.count(SecurityEvent.MALFORMED)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void garbageWithAMarkerGetsNoAnswer(String transport) throws Exception {
        start();
        String marker = "MARKER" + SipFactories.newTag();
        try (RawSipClient c = client(transport)) {
            c.send("GARBAGE " + marker + " SIP/2.0\r\nX: " + marker + "\r\n\r\n");

            assertThat(c.receive(SILENCE)).isEmpty();
        }
        assertThat(Await.until(() -> events.count(SecurityEvent.MALFORMED) == 1, WAIT)).isTrue();
    }

    @Test
    void datagramOf65kNulBytesIsDroppedWithoutAResponse() throws Exception {
        start();
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(new byte[65_000]);

            assertThat(c.receive(SILENCE)).isEmpty();
            assertStillServed(c, "OPTIONS");
        }
        assertThat(events.count(SecurityEvent.OVERSIZED)).isEqualTo(1);
    }

    @Test
    void oversizedRequestOverTcpGets513AndTheConnectionStaysUsable() throws Exception {
        start();
        String body = "x".repeat(SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE);
        try (RawSipClient c = RawSipClient.tcp(port)) {
            c.send(SipText.request(c, "REGISTER", port, "Content-Type: text/plain\r\n", body));

            String response = c.receive(WAIT).orElseThrow();

            assertBare(response, "SIP/2.0 513 Message Too Large");
            assertStillServed(c, "REGISTER");
        }
        assertThat(events.count(SecurityEvent.OVERSIZED)).isEqualTo(1);
    }

    @Test
    void everyParseErrorIsCountedAsMalformed() throws Exception {
        start();
        try (RawSipClient c = RawSipClient.udp(port)) {
            List<String> bad = List.of(
                    SipText.request(c, "OPTIONS", port).replaceAll("Call-ID: [^\r]*\r\n", ""),
                    SipText.request(c, "OPTIONS", port).replace("From: <sip:probe@127.0.0.1>", "From: <<<"),
                    SipText.request(c, "OPTIONS", port).replace(":" + c.localPort() + ";branch", ":70000;branch"),
                    "garbage\r\n\r\n",
                    SipText.request(c, "OPTIONS", port).replace("Content-Length: 0", "Content-Length: -5"));
            for (String message : bad) {
                c.send(message);
            }
            c.send(SipText.request(c, "OPTIONS", port));
            List<Integer> statuses = new ArrayList<>();
            Optional<String> answer;
            while ((answer = c.receiveFinal(WAIT)).isPresent()) {
                statuses.add(RawSipClient.statusOf(answer.get()));
                if (statuses.getLast() == 200) {
                    break;
                }
            }
            // Everything that names a Via and a CSeq is answered 400 (from its raw lines when the
            // parser gave up on it); the garbage line cannot be addressed
            assertThat(statuses).containsExactly(400, 400, 400, 400, 200);
        }
        assertThat(events.count(SecurityEvent.MALFORMED)).isEqualTo(5);
    }

    @Test
    void malformedDatagramsAreChargedToTheirSourceWhileAnotherSourceIsServed() throws Exception {
        // Frozen clock: no refill. Burst 20, a parse error costs 5 (sip.limits.parse_error_cost):
        // 4 garbage datagrams empty the bucket, where 4 good requests would leave 16 tokens.
        start(SipEndpointConfig.defaults("127.0.0.1").withRateLimit(10, 20), 0);
        int flood = 50;
        try (RawSipClient flooder = RawSipClient.udp(port)) {
            for (int i = 0; i < flood; i++) {
                flooder.send("garbage " + i + "\r\n\r\n");
            }
            flooder.send(SipText.request(flooder, "OPTIONS", port));
            assertThat(RawSipClient.statusOf(flooder.receiveFinal(WAIT).orElseThrow())).isEqualTo(503);
        }
        try (RawSipClient other = RawSipClient.udp(port, InetAddress.getByName("127.0.0.2"))) {
            for (int i = 0; i < 5; i++) {
                other.send(SipText.request(other, "OPTIONS", port));
                assertThat(RawSipClient.statusOf(other.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
            }
        }
        assertThat(events.count(SecurityEvent.MALFORMED)).isEqualTo(4);
        assertThat(endpoint.rateLimitedCount()).isEqualTo(flood - 4 + 1);
    }
}
