package org.icgw.gateway.sip.registrar;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The highest nonce-count seen per nonce (RFC 7616 §3.4: a repeated {@code nc} is a replay).
 * Entries live as long as their nonce can be fresh, then are swept.
 */
final class NonceCounts {

    private static final int SWEEP_EVERY = 256;

    private record Seen(long issuedAtMillis, long highest) {
    }

    private final ConcurrentHashMap<String, Seen> seen = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final InstantSource clock;
    private final AtomicInteger requests = new AtomicInteger();

    NonceCounts(Duration lifetime, InstantSource clock) {
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Records {@code nc} for {@code nonce}; false when it is not above the highest seen (a replay). */
    boolean advance(String nonce, long issuedAtMillis, long nc) {
        if (requests.incrementAndGet() % SWEEP_EVERY == 0) {
            long oldest = clock.millis() - lifetime.toMillis();
            seen.values().removeIf(s -> s.issuedAtMillis() < oldest);
        }
        boolean[] accepted = {false};
        seen.compute(nonce, (k, previous) -> {
            if (previous != null && nc <= previous.highest()) {
                return previous;
            }
            accepted[0] = true;
            return new Seen(issuedAtMillis, nc);
        });
        return accepted[0];
    }

    int size() {
        return seen.size();
    }
}
