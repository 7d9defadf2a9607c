package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Starting and stopping the endpoint: the port is bound, then every stack thread ends. */
class SipEndpointLifecycleTest {

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void closeEndsEveryNonDaemonThreadTheStackStarted() throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        int port = FreePorts.udpAndTcp();
        SipEndpoint endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port)).build();
        endpoint.start();
        for (String transport : new String[] {"UDP", "TCP"}) {
            try (RawSipClient c = transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port)) {
                c.send(SipText.request(c, "OPTIONS", port));
                assertThat(c.receiveFinal(Duration.ofSeconds(3))).isPresent();
            }
        }
        Set<Thread> started = liveNonDaemonThreads();
        started.removeAll(before);
        assertThat(started).extracting(Thread::getName).contains("EventScannerThread");

        endpoint.close();

        for (Thread t : started) {
            t.join(5_000);
        }
        assertThat(started.stream().filter(Thread::isAlive).map(Thread::getName)).isEmpty();
        assertThat(endpoint.isRunning()).isFalse();
    }

    @Test
    void thePortIsFreeAgainAfterClose() throws Exception {
        int port = FreePorts.udpAndTcp();
        SipEndpointConfig config = SipEndpointConfig.defaults("127.0.0.1").withPort(port);
        try (SipEndpoint first = SipEndpoint.builder(config).build()) {
            first.start();
        }
        try (SipEndpoint second = SipEndpoint.builder(config).build()) {
            second.start();
            try (RawSipClient c = RawSipClient.udp(port)) {
                c.send(SipText.request(c, "OPTIONS", port));
                assertThat(RawSipClient.statusOf(c.receiveFinal(Duration.ofSeconds(3)).orElseThrow())).isEqualTo(200);
            }
        }
    }

    @Test
    void aTakenPortFailsStartWithTheAddressInTheMessage() throws Exception {
        int port = FreePorts.udpAndTcp();
        SipEndpointConfig config = SipEndpointConfig.defaults("127.0.0.1").withPort(port);
        try (SipEndpoint first = SipEndpoint.builder(config).build();
                SipEndpoint second = SipEndpoint.builder(config).build()) {
            first.start();
            assertThatThrownBy(second::start).isInstanceOf(IOException.class).hasMessageContaining("127.0.0.1:" + port);
            assertThat(second.isRunning()).isFalse();
        }
    }

    @Test
    void configRefusesValuesNamingTheKey() {
        assertThatThrownBy(() -> SipEndpointConfig.defaults("127.0.0.1").withPort(0)).hasMessageStartingWith("sip.port:");
        assertThatThrownBy(() -> new SipEndpointConfig("127.0.0.1", 5060, 100, 10, 10)).hasMessageStartingWith("sip.max_message_size:");
        assertThatThrownBy(() -> SipEndpointConfig.defaults("127.0.0.1").withRateLimit(0, 10)).hasMessageStartingWith("sip.rate_per_second:");
        assertThatThrownBy(() -> SipEndpointConfig.defaults("127.0.0.1").withRateLimit(5, 0)).hasMessageStartingWith("sip.rate_burst:");
    }
}
