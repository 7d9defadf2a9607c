package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which hosts the transport turns into addresses, and that it looks up only configured names. */
class SipHostResolverTest {

    private static InetSocketAddress peer(String host, int port) {
        return InetSocketAddress.createUnresolved(host, port);
    }

    @Test
    void literalsAreParsedAndOtherNamesRefusedWithoutALookup() throws Exception {
        try (SipHostResolver resolver = new SipHostResolver(List.of(peer("192.0.2.10", 5060)))) {
            resolver.start();

            assertThat(resolver.address("evil.invalid")).isEmpty();
            assertThat(resolver.address("192.0.2.7")).contains(InetAddress.getByName("192.0.2.7"));
            assertThat(resolver.address("[::1]")).contains(InetAddress.getByName("::1"));
            assertThat(resolver.isConfiguredPeer(new InetSocketAddress("192.0.2.10", 5060))).isTrue();
            assertThat(resolver.isConfiguredPeer(new InetSocketAddress("192.0.2.10", 5061))).isFalse();
            assertThat(resolver.isConfiguredPeer(new InetSocketAddress("192.0.2.11", 5060))).isFalse();
        }
        assertThat(RecordingResolverProvider.lookedUp()).doesNotContain("evil.invalid");
    }

    @Test
    void aConfiguredNameIsResolvedInTheBackgroundAndServedFromTheCache() throws Exception {
        try (SipHostResolver resolver = new SipHostResolver(List.of(peer("localhost", 5080)))) {
            resolver.start();
            assertThat(resolver.awaitFirstRound(Duration.ofSeconds(3))).isTrue();

            InetAddress address = resolver.address("LOCALHOST").orElseThrow();

            assertThat(address.isLoopbackAddress()).isTrue();
            assertThat(resolver.isConfiguredPeer(new InetSocketAddress(address, 5080))).isTrue();
        }
    }

    @Test
    void aConfiguredNameThatDoesNotResolveHasNoAddress() throws Exception {
        try (SipHostResolver resolver = new SipHostResolver(List.of(peer("trunk.icgw-test.invalid", 5060)))) {
            resolver.start();
            assertThat(resolver.awaitFirstRound(Duration.ofSeconds(10))).isTrue();

            assertThat(resolver.address("trunk.icgw-test.invalid")).isEmpty();
        }
    }

    @Test
    void peersAtTheBoundAndOnePast() {
        List<InetSocketAddress> atBound = IntStream.range(0, SipHostResolver.MAX_PEERS)
                .mapToObj(i -> peer("192.0.2.1", 5060 + i)).toList();
        new SipHostResolver(atBound).close();

        List<InetSocketAddress> onePast = IntStream.rangeClosed(0, SipHostResolver.MAX_PEERS)
                .mapToObj(i -> peer("192.0.2.1", 5060 + i)).toList();
        assertThatThrownBy(() -> new SipHostResolver(onePast)).isInstanceOf(IllegalArgumentException.class);
    }
}
