package org.icgw.gateway.sip;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds the SIP edge enforces before a message reaches the stack (style.md point 13): the
 * budget all sources share beside each one's own, the ban after failed authentications, the TCP
 * connection limits and timeouts, and how often one kind of refused message may be logged.
 *
 * @param globalRatePerSecond    requests per second taken from all sources together; past it new
 *                               requests are dropped, so many sources cannot exhaust the heap
 * @param globalBurst            requests all sources may send at once
 * @param parseErrorCost         tokens a message the gateway cannot parse takes from its source's
 *                               bucket (a well-formed request takes one)
 * @param authFailuresToBan      failed digest authentications from one address within
 *                               {@code authFailureWindow} after which it is banned
 * @param authFailureWindow      the window failures are counted in
 * @param banTime                how long a banned address is answered nothing
 * @param maxConnections         TCP/TLS connections open at once, all sources; more are refused
 * @param maxConnectionsPerSource TCP/TLS connections one address may hold open
 * @param idleTimeout            a connection with no complete message for this long is closed
 * @param headerTimeout          a message whose first byte came this long ago and whose headers
 *                               are still incomplete closes its connection (slow-header clients)
 * @param logLinesPerSecond      lines per second and kind of refused message; the rest are counted
 *                               and summed up in one line
 */
public record SipLimits(double globalRatePerSecond, int globalBurst, int parseErrorCost, int authFailuresToBan,
        Duration authFailureWindow, Duration banTime, int maxConnections, int maxConnectionsPerSource,
        Duration idleTimeout, Duration headerTimeout, int logLinesPerSecond) {

    /** The defaults (deploy/icgw.yaml documents each). */
    public static final SipLimits DEFAULTS = new SipLimits(2_000, 4_000, 5, 20, Duration.ofSeconds(60),
            Duration.ofMinutes(10), 10_000, 64, Duration.ofMinutes(5), Duration.ofSeconds(10), 5);

    public SipLimits {
        if (!(globalRatePerSecond > 0) || Double.isInfinite(globalRatePerSecond)) {
            throw new IllegalArgumentException("sip.limits.global_rate_per_second: must be positive, got " + globalRatePerSecond);
        }
        positive("sip.limits.global_burst", globalBurst);
        positive("sip.limits.parse_error_cost", parseErrorCost);
        positive("sip.limits.auth_failures_to_ban", authFailuresToBan);
        positive("sip.limits.auth_failure_window", authFailureWindow);
        positive("sip.limits.ban_time", banTime);
        positive("sip.limits.max_connections", maxConnections);
        positive("sip.limits.max_connections_per_source", maxConnectionsPerSource);
        positive("sip.limits.idle_timeout", idleTimeout);
        positive("sip.limits.header_timeout", headerTimeout);
        positive("sip.limits.log_lines_per_second", logLinesPerSecond);
        if (maxConnectionsPerSource > maxConnections) {
            throw new IllegalArgumentException("sip.limits.max_connections_per_source: must not exceed max_connections ("
                    + maxConnections + "), got " + maxConnectionsPerSource);
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + ": must be at least 1, got " + value);
        }
    }

    private static void positive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + ": must be positive, got " + value);
        }
    }

    /** These limits with another ban rule (tests). */
    public SipLimits withBan(int failures, Duration window, Duration time) {
        return new SipLimits(globalRatePerSecond, globalBurst, parseErrorCost, failures, window, time, maxConnections,
                maxConnectionsPerSource, idleTimeout, headerTimeout, logLinesPerSecond);
    }

    /** These limits with other connection bounds (tests). */
    public SipLimits withConnections(int total, int perSource, Duration idle, Duration header) {
        return new SipLimits(globalRatePerSecond, globalBurst, parseErrorCost, authFailuresToBan, authFailureWindow,
                banTime, total, perSource, idle, header, logLinesPerSecond);
    }

    /** These limits with another global budget (tests). */
    public SipLimits withGlobalRate(double perSecond, int burst) {
        return new SipLimits(perSecond, burst, parseErrorCost, authFailuresToBan, authFailureWindow, banTime,
                maxConnections, maxConnectionsPerSource, idleTimeout, headerTimeout, logLinesPerSecond);
    }
}
