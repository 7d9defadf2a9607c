package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipLimits;
import org.icgw.gateway.sip.SipText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** TCP connection limits and timeouts, each at its bound and one past it, over real loopback sockets. */
class ConnectionLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    private static final Duration IDLE = Duration.ofMillis(300);
    private static final Duration HEADERS = Duration.ofMillis(500);

    private final SecurityEvents events = SecurityEvents.unregistered();
    private final List<RawSipClient> clients = new ArrayList<>();
    private SipEndpoint endpoint;
    private int port;

    private void start(int total, int perSource, Duration idle, Duration headers) throws Exception {
        port = FreePorts.udpAndTcp();
        SipLimits limits = SipLimits.DEFAULTS.withConnections(total, perSource, idle, headers);
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000)
                .withLimits(limits)).events(events).build();
        endpoint.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (RawSipClient c : clients) {
            c.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** A connection from {@code source} that got an answer to one OPTIONS (so the gateway holds it). */
    private RawSipClient served(String source) throws Exception {
        RawSipClient c = RawSipClient.tcp(port, InetAddress.getByName(source));
        clients.add(c);
        c.send(SipText.request(c, "OPTIONS", port));
        assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).as("answer to " + source).isEqualTo(200);
        return c;
    }

    /** A connection from {@code source} that the gateway closes without reading it. */
    private void refused(String source) throws Exception {
        try (RawSipClient c = RawSipClient.tcp(port, InetAddress.getByName(source))) {
            c.send(SipText.request(c, "OPTIONS", port));
            assertThat(c.receive(WAIT)).as("answer to " + source).isEmpty();
            assertThat(c.peerClosed(WAIT)).isTrue();
        }
    }

    @Test
    void perSourceLimitAtTheBoundAndOnePast() throws Exception {
        start(10, 3, Duration.ofSeconds(30), Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            served("127.0.0.2");
        }

        refused("127.0.0.2");
        served("127.0.0.3");

        assertThat(events.count(SecurityEvent.CONNECTION_REFUSED)).isEqualTo(1);
        assertThat(endpoint.openConnections()).isEqualTo(4);
        clients.getFirst().close();
        assertThat(Await.until(() -> endpoint.openConnections() == 3, WAIT)).isTrue();
        served("127.0.0.2");
    }

    @Test
    void totalLimitAtTheBoundAndOnePast() throws Exception {
        start(5, 3, Duration.ofSeconds(30), Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            served("127.0.0.2");
        }
        served("127.0.0.3");
        served("127.0.0.3");

        refused("127.0.0.4");

        assertThat(events.count(SecurityEvent.CONNECTION_REFUSED)).isEqualTo(1);
        assertThat(endpoint.openConnections()).isEqualTo(5);
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(10, 10, IDLE, Duration.ofSeconds(10));
        try (RawSipClient silent = RawSipClient.tcp(port)) {
            long opened = System.nanoTime();

            assertThat(silent.peerClosed(WAIT)).isTrue();

            assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThanOrEqualTo(IDLE);
        }
        assertThat(events.count(SecurityEvent.CONNECTION_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void messagesMoreOftenThanTheIdleTimeoutKeepAConnectionOpen() throws Exception {
        Duration idle = Duration.ofSeconds(1);
        start(10, 10, idle, Duration.ofSeconds(10));
        try (RawSipClient warmUp = RawSipClient.tcp(port)) { // the first answer is slow (class loading): not timed
            warmUp.send(SipText.request(warmUp, "OPTIONS", port));
            assertThat(warmUp.receiveFinal(WAIT)).isPresent();
        }
        try (RawSipClient busy = RawSipClient.tcp(port)) {
            long until = System.nanoTime() + 3 * idle.toNanos();
            while (System.nanoTime() < until) {
                busy.send(SipText.request(busy, "OPTIONS", port));
                assertThat(RawSipClient.statusOf(busy.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
                assertThat(busy.peerClosed(idle.dividedBy(10))).isFalse();
            }
            assertThat(events.count(SecurityEvent.CONNECTION_TIMEOUT)).isZero();
            long last = System.nanoTime();

            assertThat(busy.peerClosed(WAIT)).isTrue();

            assertThat(Duration.ofNanos(System.nanoTime() - last)).isGreaterThanOrEqualTo(idle.dividedBy(2));
        }
        assertThat(events.count(SecurityEvent.CONNECTION_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void slowHeaderClientIsCutOffWhileAnotherConnectionIsServed() throws Exception {
        start(10, 10, Duration.ofSeconds(10), HEADERS);
        try (Socket slow = new Socket()) {
            slow.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            OutputStream out = slow.getOutputStream();
            InputStream in = slow.getInputStream();
            slow.setSoTimeout(100);
            long first = System.nanoTime();
            out.write("OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean closed = false;
            long deadline = first + WAIT.toNanos();
            while (!closed && System.nanoTime() < deadline) {
                try {
                    out.write('1');
                    out.flush();
                    closed = in.read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // a byte every 100 ms: never idle, never a whole header section
                } catch (IOException reset) {
                    closed = true;
                }
                if (!closed && System.nanoTime() - first > HEADERS.toNanos() / 2 && clients.isEmpty()) {
                    served("127.0.0.1");
                }
            }

            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - first)).isGreaterThanOrEqualTo(HEADERS);
            assertThat(clients).hasSize(1);
        }
        assertThat(events.count(SecurityEvent.CONNECTION_TIMEOUT)).isEqualTo(1);
        assertThat(Await.until(() -> endpoint.openConnections() == 1, WAIT)).isTrue();
    }

    @Test
    void keepAlivePingGetsOnePong() throws Exception {
        start(10, 10, Duration.ofSeconds(10), Duration.ofSeconds(10));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout((int) WAIT.toMillis());
            s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();

            byte[] pong = s.getInputStream().readNBytes(2);

            assertThat(new String(pong, StandardCharsets.US_ASCII)).isEqualTo("\r\n");
            s.setSoTimeout(300);
            assertThat(read(s)).isEqualTo(-2);
        }
    }

    /** The next byte, or -2 when none came in the socket's timeout. */
    private static int read(Socket s) throws IOException {
        try {
            return s.getInputStream().read();
        } catch (java.net.SocketTimeoutException none) {
            return -2;
        }
    }
}
