package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 idle TCP connections cost no thread each: they are all accepted, the gateway's thread
 * count barely moves, UDP and TCP requests are still answered within a second, and all are gone
 * once the clients close. The clients live in a child process ({@link IdleTcpClients}): client
 * and server sockets in one JVM would need 20,000 descriptors, this machine's {@code ulimit -n}.
 */
class IdleConnectionsTest {

    private static final int CONNECTIONS = 10_000;
    private static final List<String> SOURCES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");
    /** Threads the gateway may add while holding the connections (none are expected). */
    private static final int THREAD_ALLOWANCE = 8;
    private static final Duration ANSWER = Duration.ofSeconds(1);
    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final SecurityEvents events = SecurityEvents.unregistered();
    private SipEndpoint endpoint;
    private Process clients;

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.destroyForcibly();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void tenThousandIdleConnectionsCostNoThreadEachAndRequestsAreStillAnswered() throws Exception {
        int port = FreePorts.udpAndTcp();
        SipLimits limits = SipLimits.DEFAULTS.withConnections(CONNECTIONS + 100, CONNECTIONS / SOURCES.size(),
                Duration.ofMinutes(5), Duration.ofSeconds(10));
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000)
                .withLimits(limits)).events(events).build();
        endpoint.start();
        assertAnswered(port);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), IdleTcpClients.class.getName(),
                Integer.toString(port), Integer.toString(CONNECTIONS)));
        command.addAll(SOURCES);
        clients = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = clients.inputReader();
        assertThat(out.readLine()).isEqualTo("OPEN " + CONNECTIONS);
        assertThat(Await.until(() -> endpoint.openConnections() == CONNECTIONS, SETTLE)).isTrue();

        assertThat(threads.getThreadCount() - before).isLessThan(THREAD_ALLOWANCE);
        assertAnswered(port);
        assertThat(events.count(SecurityEvent.CONNECTION_REFUSED)).isZero();

        OutputStream in = clients.getOutputStream();
        in.write("close\n".getBytes());
        in.flush();
        assertThat(out.readLine()).isEqualTo("CLOSED");
        assertThat(clients.waitFor(SETTLE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(Await.until(() -> endpoint.openConnections() == 0, SETTLE)).isTrue();
        assertAnswered(port);
    }

    private static void assertAnswered(int port) throws Exception {
        try (RawSipClient udp = RawSipClient.udp(port); RawSipClient tcp = RawSipClient.tcp(port)) {
            udp.send(SipText.request(udp, "OPTIONS", port));
            tcp.send(SipText.request(tcp, "OPTIONS", port));
            assertThat(RawSipClient.statusOf(udp.receiveFinal(ANSWER).orElseThrow(() -> new AssertionError("UDP unanswered"))))
                    .isEqualTo(200);
            assertThat(RawSipClient.statusOf(tcp.receiveFinal(ANSWER).orElseThrow(() -> new AssertionError("TCP unanswered"))))
                    .isEqualTo(200);
        }
    }
}
