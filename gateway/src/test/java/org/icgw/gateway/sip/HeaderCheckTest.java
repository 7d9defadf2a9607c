package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.icgw.gateway.security.SecurityEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Header values checked before any handler sees them, over real UDP and TCP: out-of-range ports
 * and CSeq numbers (400), a request that names the gateway in its Via (482), an INVITE with no
 * hops left (483); each refusal is a security event and the handler is never called.
 */
class HeaderCheckTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private final AtomicInteger handled = new AtomicInteger();
    private SipEndpoint endpoint;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.udpAndTcp();
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000))
                .handler("INVITE", r -> {
                    handled.incrementAndGet();
                    r.respond(486);
                })
                .handler("REGISTER", r -> {
                    handled.incrementAndGet();
                    r.respond(200);
                })
                .build();
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    private int status(String transport, String method, String extraHeaders, String viaOverride, String uriOverride)
            throws Exception {
        try (RawSipClient c = transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port)) {
            String text = SipText.request(c, method, port, extraHeaders, "");
            if (viaOverride != null) {
                text = text.replaceFirst("Via: [^\r]*", "Via: " + viaOverride.replace("{own}", c.via()));
            }
            if (uriOverride != null) {
                text = text.replaceFirst("sip:gw@127.0.0.1:\\d+", uriOverride);
            }
            c.send(text);
            return RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow(() -> new AssertionError("no answer")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void inviteWithMaxForwardsZeroGets483AndGoesNoFurther(String transport) throws Exception {
        String request = "Max-Forwards: 0\r\n";
        int answer;
        try (RawSipClient c = transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port)) {
            c.send(SipText.request(c, "INVITE", port).replace("Max-Forwards: 70\r\n", request));
            answer = RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow());
        }
        assertThat(answer).isEqualTo(483);
        assertThat(handled).hasValue(0);
        assertThat(endpoint.events().count(SecurityEvent.LOOP)).isEqualTo(1);
    }

    @Test
    void inviteWithOneHopLeftIsServed() throws Exception {
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(SipText.request(c, "INVITE", port).replace("Max-Forwards: 70\r\n", "Max-Forwards: 1\r\n"));
            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(486);
        }
        assertThat(handled).hasValue(1);
    }

    @Test
    void registerWithMaxForwardsZeroIsForTheRegistrarItself() throws Exception {
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(SipText.request(c, "REGISTER", port).replace("Max-Forwards: 70\r\n", "Max-Forwards: 0\r\n"));
            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void requestThatCameBackThroughTheGatewayGets482(String transport) throws Exception {
        String loop = "{own}\r\nVia: SIP/2.0/" + transport + " 127.0.0.1:" + port + ";branch=z9hG4bKours1";

        assertThat(status(transport, "INVITE", "", loop, null)).isEqualTo(482);
        assertThat(handled).hasValue(0);
    }

    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("Contact port 70000", (UnaryOperator<String>) t -> t.replaceFirst("(Contact: <sip:probe@[0-9.]+):\\d+", "$1:70000")),
                Arguments.of("Contact port 0", (UnaryOperator<String>) t -> t.replaceFirst("(Contact: <sip:probe@[0-9.]+):\\d+", "$1:0")),
                Arguments.of("Request-URI port 70000", (UnaryOperator<String>) t -> t.replaceFirst("sip:gw@127.0.0.1:\\d+", "sip:gw@127.0.0.1:70000")),
                Arguments.of("CSeq 2**31", (UnaryOperator<String>) t -> t.replace("CSeq: 1 REGISTER", "CSeq: 2147483648 REGISTER")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void outOfRangeValuesGet400(String name, UnaryOperator<String> change) throws Exception {
        int answer;
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(change.apply(SipText.request(c, "REGISTER", port)));
            answer = c.receiveFinal(WAIT).map(RawSipClient::statusOf).orElse(0);
        }
        assertThat(answer).as(name).isEqualTo(400);
        assertThat(handled).hasValue(0);
    }

    @Test
    void cseqJustBelow2To31IsServed() throws Exception {
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(SipText.request(c, "REGISTER", port).replace("CSeq: 1 REGISTER", "CSeq: 2147483647 REGISTER"));
            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
        }
    }

    @Test
    void seventyViasAreServedAndSeventyOneAre400() throws Exception {
        assertThat(status("TCP", "REGISTER", "", "{own}" + extraVias(69), null)).isEqualTo(200);
        assertThat(status("TCP", "REGISTER", "", "{own}" + extraVias(70), null)).isEqualTo(400);
    }

    private static String extraVias(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("\r\nVia: SIP/2.0/UDP 192.0.2.").append(i % 250 + 1).append(":5060;branch=z9hG4bKhop").append(i);
        }
        return sb.toString();
    }
}
