package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The endpoint's gate over real UDP and TCP sockets on loopback: what each kind of request gets. */
class SipEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    /** How long to listen for an answer that must not come. */
    private static final Duration SILENCE = Duration.ofMillis(400);

    private SipEndpoint endpoint;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.udpAndTcp();
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000))
                .handler("REGISTER", r -> r.respond(200))
                .handler("MESSAGE", r -> {
                    throw new IllegalStateException("handler bug");
                })
                .build();
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private RawSipClient client(String transport) throws Exception {
        return transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port);
    }

    private String exchange(String transport, BiFunction<RawSipClient, Integer, String> message) throws Exception {
        try (RawSipClient c = client(transport)) {
            c.send(message.apply(c, port));
            return c.receiveFinal(WAIT).orElseThrow(() -> new AssertionError("no answer over " + transport));
        }
    }

    @Test
    void requestsTheEndpointSendsOverUdpLeaveFromItsListeningPort() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout((int) WAIT.toMillis());
            SipFactories f = endpoint.factories();
            SipURI target = f.addresses().createSipURI("peer", "127.0.0.1");
            target.setPort(peer.getLocalPort());
            SipURI self = f.addresses().createSipURI("icgw", "127.0.0.1");
            Request options = f.messages().createRequest(target, Request.OPTIONS, endpoint.provider().getNewCallId(),
                    f.headers().createCSeqHeader(1L, Request.OPTIONS),
                    f.headers().createFromHeader(f.addresses().createAddress(self), SipFactories.newTag()),
                    f.headers().createToHeader(f.addresses().createAddress(target), null),
                    List.of(f.headers().createViaHeader("127.0.0.1", port, "udp", null)),
                    f.headers().createMaxForwardsHeader(70));
            endpoint.provider().getNewClientTransaction(options).sendRequest();

            DatagramPacket received = new DatagramPacket(new byte[4096], 4096);
            peer.receive(received);

            // The peer answers to where the request came from (RFC 3261 §18.2.2 sends to the Via
            // sent-by, many peers to the source): both must be the listening socket.
            assertThat(received.getPort()).isEqualTo(port);
            assertThat(new String(received.getData(), 0, received.getLength(), StandardCharsets.UTF_8))
                    .startsWith("OPTIONS sip:peer@127.0.0.1:" + peer.getLocalPort() + " SIP/2.0\r\n");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void optionsIsAnswered200WithAllowAndAccept(String transport) throws Exception {
        String response = exchange(transport, (c, p) -> SipText.request(c, "OPTIONS", p));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
        assertThat(RawSipClient.header(response, "Allow")).contains("MESSAGE, OPTIONS, REGISTER");
        assertThat(RawSipClient.header(response, "Accept")).contains("application/sdp");
        assertThat(RawSipClient.header(response, "To").orElseThrow()).contains(";tag=");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void unknownMethodGets501WithAllow(String transport) throws Exception {
        String response = exchange(transport, (c, p) -> SipText.request(c, "FROBNICATE", p));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(501);
        assertThat(RawSipClient.header(response, "Allow")).contains("MESSAGE, OPTIONS, REGISTER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"BYE", "INVITE", "SUBSCRIBE", "INFO"})
    void knownButUnsupportedMethodGets405WithAllow(String method) throws Exception {
        String response = exchange("UDP", (c, p) -> SipText.request(c, method, p));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(405);
        assertThat(RawSipClient.header(response, "Allow")).contains("MESSAGE, OPTIONS, REGISTER");
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void unknownRequireGets420ListingTheUnsupportedTags(String transport) throws Exception {
        String response = exchange(transport, (c, p) -> SipText.request(c, "REGISTER", p, "Require: foo, bar\r\n", ""));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(420);
        assertThat(String.join(",", RawSipClient.headers(response, "Unsupported")).replace(" ", "")).isEqualTo("foo,bar");
    }

    @Test
    void nonSipRequestUriGets416() throws Exception {
        String response = exchange("UDP", (c, p) -> SipText.request(c, "OPTIONS", p).replaceFirst("sip:gw@127.0.0.1:\\d+", "tel:+15551234567"));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(416);
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void messageOverTheConfiguredMaximumGets513(String transport) throws Exception {
        String body = "x".repeat(SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE + 1000);
        String response = exchange(transport, (c, p) -> SipText.request(c, "REGISTER", p, "Content-Type: text/plain\r\n", body));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(513);
    }

    @Test
    void messageJustUnderTheMaximumIsServed() throws Exception {
        String body = "x".repeat(SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE - 1000);
        String response = exchange("UDP", (c, p) -> SipText.request(c, "REGISTER", p, "Content-Type: text/plain\r\n", body));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
    }

    @Test
    void tcpContentLengthBeyondTheTransportLimitGets513ThenTheConnectionCloses() throws Exception {
        try (RawSipClient c = RawSipClient.tcp(port)) {
            c.send(SipText.request(c, "REGISTER", port).replace("Content-Length: 0", "Content-Length: 100000"));

            assertThat(RawSipClient.statusOf(c.receive(WAIT).orElseThrow())).isEqualTo(513);
            assertThat(c.peerClosed(WAIT)).isTrue();
        }
        assertThat(RawSipClient.statusOf(exchange("TCP", (c, p) -> SipText.request(c, "OPTIONS", p)))).isEqualTo(200);
    }

    @Test
    void handlerFailureIsAnswered500() throws Exception {
        String response = exchange("UDP", (c, p) -> SipText.request(c, "MESSAGE", p));

        assertThat(RawSipClient.statusOf(response)).isEqualTo(500);
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("text", (BiFunction<RawSipClient, Integer, String>) (c, p) -> "garbage\r\n\r\n"),
                Arguments.of("empty lines", (BiFunction<RawSipClient, Integer, String>) (c, p) -> "\r\n\r\n\r\n"),
                Arguments.of("binary", (BiFunction<RawSipClient, Integer, String>) (c, p) -> new String(binary(), StandardCharsets.ISO_8859_1)),
                Arguments.of("request line only", (BiFunction<RawSipClient, Integer, String>) (c, p) -> "OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\n\r\n"),
                Arguments.of("no Call-ID", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replaceAll("Call-ID: [^\r]*\r\n", "")),
                Arguments.of("no Via", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replaceAll("Via: [^\r]*\r\n", "")),
                Arguments.of("no From", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replaceAll("From: [^\r]*\r\n", "")),
                Arguments.of("bad From", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replace("From: <sip:probe@127.0.0.1>", "From: <<<")),
                Arguments.of("bad CSeq number", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replace("CSeq: 1 OPTIONS", "CSeq: x OPTIONS")),
                Arguments.of("CSeq of another method", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE")),
                Arguments.of("bad Via", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replaceFirst("Via: SIP/2.0/", "Via: SIP/2.0/QUIC ")),
                Arguments.of("negative Content-Length", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "OPTIONS", p).replace("Content-Length: 0", "Content-Length: -5")),
                Arguments.of("bad Expires", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "REGISTER", p, "Expires: soon\r\n", "")),
                Arguments.of("header without colon", (BiFunction<RawSipClient, Integer, String>) (c, p) -> SipText.request(c, "REGISTER", p, "Nonsense header line\r\n", "")));
    }

    private static byte[] binary() {
        byte[] bytes = new byte[512];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11);
        }
        return bytes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedOverUdpGets400OrNothingAndNeverA2xx(String name, BiFunction<RawSipClient, Integer, String> message) throws Exception {
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(message.apply(c, port).getBytes(StandardCharsets.ISO_8859_1));
            Optional<String> answer = c.receive(SILENCE);

            answer.ifPresent(a -> assertThat(RawSipClient.statusOf(a)).as(a).isEqualTo(400));
            c.send(SipText.request(c, "OPTIONS", port));
            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedOverTcpGets400OrTheConnectionClosedAndNeverA2xx(String name, BiFunction<RawSipClient, Integer, String> message)
            throws Exception {
        try (RawSipClient c = RawSipClient.tcp(port)) {
            c.send(message.apply(c, port).getBytes(StandardCharsets.ISO_8859_1));
            Optional<String> answer = c.receive(SILENCE);

            answer.ifPresent(a -> assertThat(RawSipClient.statusOf(a)).as(a).isEqualTo(400));
        }
        assertThat(RawSipClient.statusOf(exchange("TCP", (c, p) -> SipText.request(c, "OPTIONS", p)))).isEqualTo(200);
    }

    @Test
    void aFloodingSourceIsAnswered503WhileAnotherSourceIsServed() throws Exception {
        endpoint.close();
        long frozen = 0;
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(10, 20))
                .nanoClock(() -> frozen)
                .build();
        endpoint.start();
        int sent = 200;
        List<Integer> statuses = new ArrayList<>();
        // Bursts of 20 answered before the next, so that a loaded machine's socket buffers drop
        // nothing; the limiter's clock is frozen, so pacing refills no tokens.
        try (RawSipClient flooder = RawSipClient.udp(port)) {
            for (int burst = 0; burst < sent / 20; burst++) {
                for (int i = 0; i < 20; i++) {
                    flooder.send(SipText.request(flooder, "OPTIONS", port));
                }
                Optional<String> response;
                int expected = (burst + 1) * 20;
                while (statuses.size() < expected && (response = flooder.receive(WAIT)).isPresent()) {
                    statuses.add(RawSipClient.statusOf(response.get()));
                }
            }
        }
        try (RawSipClient other = RawSipClient.udp(port, InetAddress.getByName("127.0.0.2"))) {
            other.send(SipText.request(other, "OPTIONS", port));
            assertThat(RawSipClient.statusOf(other.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
        }

        assertThat(statuses).hasSize(sent);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(20);
        assertThat(statuses.stream().filter(s -> s == 503).count()).isEqualTo(sent - 20);
        assertThat(endpoint.rateLimitedCount()).isEqualTo(sent - 20);
    }
}
