package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Responses go where the request came from, whatever its Via says, and no name from a message is
 * ever looked up (the test JVM's resolver is {@link RecordingResolverProvider}).
 */
class ResponseRoutingTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private SipEndpoint endpoint;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.udpAndTcp();
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000))
                .build();
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** An OPTIONS whose Via, From, Contact, Record-Route and Call-ID name {@code host}. */
    private String options(String viaTransport, String host, int viaPort) {
        String tag = SipFactories.newTag();
        return "OPTIONS sip:gw@127.0.0.1:" + port + " SIP/2.0\r\n"
                + "Via: SIP/2.0/" + viaTransport + " " + host + ":" + viaPort + ";branch=z9hG4bK" + tag + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:probe@" + host + ">;tag=" + tag + "\r\n"
                + "To: <sip:gw@127.0.0.1>\r\n"
                + "Call-ID: " + tag + "@" + host + "\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Contact: <sip:probe@" + host + ":" + viaPort + ">\r\n"
                + "Record-Route: <sip:proxy." + host + ";lr>\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    /** Proves the recording resolver is the JVM's: a fresh name looked up here is recorded. */
    private static void assertLookupsAreRecorded() {
        String probe = "probe-" + SipFactories.newTag() + ".invalid";
        assertThatThrownBy(() -> InetAddress.getByName(probe)).isInstanceOf(UnknownHostException.class);
        assertThat(RecordingResolverProvider.installed()).isTrue();
        assertThat(RecordingResolverProvider.lookedUp()).contains(probe);
    }

    private static void assertNeverLookedUp(String host) {
        assertThat(RecordingResolverProvider.lookedUp()).noneMatch(name -> name.endsWith(host));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host5.example.com", "evil.invalid"})
    void udpRequestNamingAnUnresolvableHostIsAnsweredAtThePacketSourceWithoutALookup(String host) throws Exception {
        assertLookupsAreRecorded();
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(options("UDP", host, 5099));

            String response = c.receiveFinal(WAIT).orElseThrow(() -> new AssertionError("no answer at the source"));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(RawSipClient.header(response, "Via").orElseThrow())
                    .startsWith("SIP/2.0/UDP " + host + ":5099;")
                    .contains(";received=127.0.0.1")
                    .contains(";rport=" + c.localPort());
        }
        assertNeverLookedUp(host);
    }

    @Test
    void udpRequestWithMaddrIsStillAnsweredAtThePacketSource() throws Exception {
        try (RawSipClient c = RawSipClient.udp(port)) {
            c.send(options("UDP", "127.0.0.1", 5099).replaceFirst(";branch=", ";maddr=192.0.2.1;branch="));

            String response = c.receiveFinal(WAIT).orElseThrow();

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(RawSipClient.header(response, "Via").orElseThrow()).doesNotContain("maddr");
        }
    }

    @Test
    void optionsOverTcpWhoseViaSaysUdpIsAnsweredOnTheSameConnection() throws Exception {
        try (RawSipClient c = RawSipClient.tcp(port)) {
            c.send(options("UDP", "127.0.0.1", c.localPort()));

            String response = c.receiveFinal(WAIT).orElseThrow(() -> new AssertionError("no answer on the connection"));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(endpoint.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void optionsOverTcpWhoseViaNamesAnotherHostAndPortIsAnsweredOnTheSameConnection() throws Exception {
        assertLookupsAreRecorded();
        try (RawSipClient c = RawSipClient.tcp(port)) {
            c.send(options("TCP", "host5.example.com", 5099));

            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
        }
        assertNeverLookedUp("host5.example.com");
    }

    @Test
    void optionsOverTcpWhoseViaNamesAListeningAddressOpensNoConnectionToIt() throws Exception {
        try (ServerSocket trap = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                RawSipClient c = RawSipClient.tcp(port)) {
            c.send(options("TCP", "127.0.0.1", trap.getLocalPort()));

            assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
            trap.setSoTimeout(500);
            assertThatThrownBy(trap::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }
}
