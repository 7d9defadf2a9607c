package org.icgw.gateway.sip;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Where and how the SIP endpoint listens.
 *
 * @param bindAddress    the local address for UDP and TCP (the sample binds {@code 127.0.0.1})
 * @param port           the port for both transports (default 5060); JAIN-SIP refuses port 0
 * @param maxMessageSize the largest message taken; a larger request gets 513 (RFC 3261 §21.5.14)
 *                       when its headers can be read. At most {@link #STACK_MESSAGE_LIMIT}
 * @param ratePerSecond  sustained requests per second allowed from one source address
 * @param rateBurst      requests one source may send at once before {@code ratePerSecond} applies
 * @param limits         the edge's other bounds: global budget, ban, connections, log volume
 * @param serverHeader   the {@code Server} and {@code User-Agent} value: a product name, no
 *                       version unless the operator writes one (scanners fingerprint versions)
 */
public record SipEndpointConfig(String bindAddress, int port, int maxMessageSize, double ratePerSecond, int rateBurst,
        SipLimits limits, String serverHeader) {

    /** The SIP port of RFC 3261 §18.1.1. */
    public static final int DEFAULT_PORT = 5060;
    /** Largest message the transport reads: the largest UDP payload. */
    public static final int STACK_MESSAGE_LIMIT = 65_535;
    /** Default for {@code maxMessageSize}: generous for REGISTER/INVITE with SDP, small enough for UDP sanity. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024;
    /** Default {@code Server}/{@code User-Agent}: the product, without a version. */
    public static final String DEFAULT_SERVER_HEADER = "icgw";

    public SipEndpointConfig {
        Objects.requireNonNull(limits, "sip.limits");
        Objects.requireNonNull(serverHeader, "sip.server_header");
        if (serverHeader.isBlank() || serverHeader.length() > 64 || !serverHeader.matches("[A-Za-z0-9._/ ()+-]+")) {
            throw new IllegalArgumentException("sip.server_header: 1-64 characters of A-Z a-z 0-9 . _ / ( ) + - "
                    + "and spaces, got '" + serverHeader.replaceAll("[^ -~]", "?") + "'");
        }
        Objects.requireNonNull(bindAddress, "sip.bind_address");
        try {
            InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("sip.bind_address: not an address: " + bindAddress, e);
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("sip.port: must be 1-65535, got " + port);
        }
        if (maxMessageSize < 1024 || maxMessageSize > STACK_MESSAGE_LIMIT) {
            throw new IllegalArgumentException(
                    "sip.max_message_size: must be 1024-" + STACK_MESSAGE_LIMIT + ", got " + maxMessageSize);
        }
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("sip.rate_per_second: must be positive, got " + ratePerSecond);
        }
        if (rateBurst < 1) {
            throw new IllegalArgumentException("sip.rate_burst: must be at least 1, got " + rateBurst);
        }
    }

    /** A configuration with the default limits and server header. */
    public SipEndpointConfig(String bindAddress, int port, int maxMessageSize, double ratePerSecond, int rateBurst) {
        this(bindAddress, port, maxMessageSize, ratePerSecond, rateBurst, SipLimits.DEFAULTS, DEFAULT_SERVER_HEADER);
    }

    /** The defaults: 5060 on the given address, 8 KiB messages, 50 requests/s with bursts of 100 per source. */
    public static SipEndpointConfig defaults(String bindAddress) {
        return new SipEndpointConfig(bindAddress, DEFAULT_PORT, DEFAULT_MAX_MESSAGE_SIZE, 50, 100);
    }

    /** This configuration on another port (tests use a free one). */
    public SipEndpointConfig withPort(int newPort) {
        return new SipEndpointConfig(bindAddress, newPort, maxMessageSize, ratePerSecond, rateBurst, limits, serverHeader);
    }

    /** This configuration with another per-source rate limit. */
    public SipEndpointConfig withRateLimit(double newRatePerSecond, int newBurst) {
        return new SipEndpointConfig(bindAddress, port, maxMessageSize, newRatePerSecond, newBurst, limits, serverHeader);
    }

    /** This configuration with other edge limits. */
    public SipEndpointConfig withLimits(SipLimits newLimits) {
        return new SipEndpointConfig(bindAddress, port, maxMessageSize, ratePerSecond, rateBurst, newLimits, serverHeader);
    }
}
