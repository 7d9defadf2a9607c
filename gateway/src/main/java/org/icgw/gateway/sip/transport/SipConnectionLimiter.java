package org.icgw.gateway.sip.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the inbound connections open in all and per source address, and refuses one beyond
 * {@code maxConnections} or {@code maxConnectionsPerSource} (sip.limits). The transport calls
 * {@link #tryOpen} when it accepts a connection and closes it at once when refused; each accepted
 * connection calls {@link #closed} exactly once. The table holds only addresses with open
 * connections, so it is bounded by {@code maxConnections}. Thread-safe.
 */
final class SipConnectionLimiter {

    /** Whether a connection may stay open, and why not. */
    enum Admission {
        OPEN("open"),
        TOTAL("over max_connections"),
        PER_SOURCE("over max_connections_per_source");

        private final String reason;

        Admission(String reason) {
            this.reason = reason;
        }

        /** A short fixed text for the event line. */
        String reason() {
            return reason;
        }
    }

    private final int maxConnections;
    private final int maxPerSource;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perSource = new ConcurrentHashMap<>();

    SipConnectionLimiter(int maxConnections, int maxPerSource) {
        this.maxConnections = maxConnections;
        this.maxPerSource = maxPerSource;
    }

    /** Takes a place for a connection from {@code source}, unless either limit is reached. */
    Admission tryOpen(InetAddress source) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return Admission.TOTAL;
        }
        boolean[] taken = new boolean[1];
        perSource.compute(source, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerSource) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            open.decrementAndGet();
            return Admission.PER_SOURCE;
        }
        return Admission.OPEN;
    }

    /** Gives back the place of a connection from {@code source} that {@link #tryOpen} accepted. */
    void closed(InetAddress source) {
        perSource.computeIfPresent(source, (k, n) -> n <= 1 ? null : n - 1);
        open.decrementAndGet();
    }

    /** Inbound connections open now. */
    int open() {
        return open.get();
    }
}
