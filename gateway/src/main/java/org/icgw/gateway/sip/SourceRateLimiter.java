package org.icgw.gateway.sip;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address: each source may send {@code burst} requests at once and
 * {@code ratePerSecond} sustained. One source's flood empties only its own bucket, so others are
 * served as before. Idle buckets (full again) are forgotten when the table grows past
 * {@link #MAX_TRACKED_SOURCES}, which bounds memory under a spoofed-address flood.
 */
public final class SourceRateLimiter {

    /** Size at which full buckets are swept. */
    static final int MAX_TRACKED_SOURCES = 10_000;

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} in production)
     */
    public SourceRateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** Takes one token from this source's bucket; false when it is empty. */
    public boolean tryAcquire(InetAddress source) {
        return tryAcquire(source, 1);
    }

    /** Takes {@code tokens} from this source's bucket (all or none); false when it holds fewer. */
    public boolean tryAcquire(InetAddress source, int tokens) {
        long now = nanoClock.getAsLong();
        if (buckets.size() >= MAX_TRACKED_SOURCES) {
            buckets.values().removeIf(b -> b.level(now, tokensPerNano, burst) >= burst);
        }
        Bucket bucket = buckets.compute(source, (k, b) -> (b == null ? new Bucket(burst, now) : b).take(now, tokensPerNano, burst, tokens));
        return bucket.granted;
    }

    /** Sources with a bucket right now (for tests and metrics). */
    public int trackedSources() {
        return buckets.size();
    }

    /** One source's bucket: an immutable value replaced on every request. */
    private record Bucket(double tokens, long stamp, boolean granted) {

        Bucket(double tokens, long stamp) {
            this(tokens, stamp, false);
        }

        double level(long now, double tokensPerNano, double burst) {
            return Math.min(burst, tokens + Math.max(0, now - stamp) * tokensPerNano);
        }

        Bucket take(long now, double tokensPerNano, double burst, int count) {
            double level = level(now, tokensPerNano, burst);
            return level >= count ? new Bucket(level - count, now, true) : new Bucket(level, now, false);
        }
    }
}
