package org.icgw.gateway.sip.b2bua;

import java.util.Locale;
import java.util.Objects;

/**
 * One outbound trunk: where the gateway sends its INVITEs, in the order of the configured list.
 *
 * @param host      address or name of the trunk's SIP server
 * @param port      its SIP port
 * @param transport {@code UDP} or {@code TCP}
 */
public record Trunk(String host, int port, String transport) {

    public Trunk {
        Objects.requireNonNull(host, "trunks[].host");
        Objects.requireNonNull(transport, "trunks[].transport");
        if (host.isBlank()) {
            throw new IllegalArgumentException("trunks[].host: must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("trunks[].port: must be 1-65535, got " + port);
        }
        transport = transport.toUpperCase(Locale.ROOT);
        if (!transport.equals("UDP") && !transport.equals("TCP")) {
            throw new IllegalArgumentException("trunks[].transport: must be UDP or TCP, got " + transport);
        }
    }

    /** A trunk from {@code host:port}. */
    public static Trunk parse(String hostPort, String transport) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("trunks[]: expected host:port, got " + hostPort);
        }
        try {
            return new Trunk(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), transport);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("trunks[]: bad port in " + hostPort, e);
        }
    }

    @Override
    public String toString() {
        return host + ":" + port + "/" + transport;
    }
}
