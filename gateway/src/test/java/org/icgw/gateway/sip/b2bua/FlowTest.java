package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Which sources a dialog's flow admits: exact for a terminal and a UDP trunk, any port of a TCP trunk. */
class FlowTest {

    static final InetAddress HOST = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress OTHER = InetAddress.ofLiteral("127.0.0.2");

    @Test
    void anExactFlowAdmitsOnlyItsAddressPortAndTransport() {
        Flow terminal = new Flow(HOST, 40_000, "udp");
        assertThat(terminal.admits(new InetSocketAddress(HOST, 40_000), "UDP")).isTrue();
        assertThat(terminal.admits(new InetSocketAddress(HOST, 40_001), "UDP")).isFalse();
        assertThat(terminal.admits(new InetSocketAddress(OTHER, 40_000), "UDP")).isFalse();
        assertThat(terminal.admits(new InetSocketAddress(HOST, 40_000), "TCP")).isFalse();
        assertThat(terminal.admits(null, "UDP")).isFalse();
    }

    @Test
    void aUdpTrunkIsItsAddressAndPort() {
        Flow trunk = Flow.trunk(HOST, 5080, "UDP");
        assertThat(trunk.port()).isEqualTo(5080);
        assertThat(trunk.admits(new InetSocketAddress(HOST, 5080), "UDP")).isTrue();
        assertThat(trunk.admits(new InetSocketAddress(HOST, 5081), "UDP")).isFalse();
    }

    @Test
    void aTcpTrunkIsItsAddressOnAnyPortButOnlyOverTcp() {
        Flow trunk = Flow.trunk(HOST, 5080, "TCP");
        assertThat(trunk.port()).isEqualTo(Flow.ANY_PORT);
        assertThat(trunk.admits(new InetSocketAddress(HOST, 5080), "TCP")).isTrue();
        assertThat(trunk.admits(new InetSocketAddress(HOST, 49_152), "TCP")).isTrue();
        assertThat(trunk.admits(new InetSocketAddress(OTHER, 5080), "TCP")).isFalse();
        assertThat(trunk.admits(new InetSocketAddress(HOST, 5080), "UDP")).isFalse();
        assertThat(trunk).hasToString("127.0.0.1:*/TCP");
    }

    @Test
    void portsRunFromAnyToTheLastPort() {
        assertThat(new Flow(HOST, 65_535, "UDP").port()).isEqualTo(65_535);
        assertThatThrownBy(() -> new Flow(HOST, 65_536, "UDP")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Flow(HOST, 0, "UDP").port()).isEqualTo(Flow.ANY_PORT);
        assertThatThrownBy(() -> new Flow(HOST, -1, "UDP")).isInstanceOf(IllegalArgumentException.class);
    }
}
