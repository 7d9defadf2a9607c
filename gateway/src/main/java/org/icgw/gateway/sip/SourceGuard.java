package org.icgw.gateway.sip;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Decides whether a message from an address is taken at all, before it is parsed, like Kamailio's
 * {@code pike} module: a banned address gets nothing; then the budget all sources share; then the
 * address's own bucket. Messages that fail to parse take {@link SipLimits#parseErrorCost()} tokens
 * from their source's bucket, so garbage exhausts a source sooner than requests do. An address
 * that fails digest authentication {@link SipLimits#authFailuresToBan()} times within
 * {@link SipLimits#authFailureWindow()} is banned for {@link SipLimits#banTime()}.
 *
 * <p>Memory is bounded: at most {@link #MAX_TRACKED} addresses with failures or bans are kept;
 * beyond it expired entries are swept, then the table is refused new entries (their failures are
 * counted by the budget instead). Thread-safe.
 */
public final class SourceGuard {

    /** What becomes of a message. */
    public enum Verdict { ADMIT, BANNED, OVER_BUDGET, RATE_LIMITED }

    /** Addresses with failures or a ban kept at most (spoofed floods cannot grow it further). */
    static final int MAX_TRACKED = 10_000;
    /** The global budget's key in its one-bucket limiter. */
    private static final InetAddress ALL_SOURCES = InetAddress.getLoopbackAddress();

    private final SipLimits limits;
    private final SourceRateLimiter perSource;
    private final SourceRateLimiter global;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Failures> failures = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Long> bannedUntil = new ConcurrentHashMap<>();

    public SourceGuard(SipEndpointConfig config, LongSupplier nanoClock) {
        this.limits = config.limits();
        this.perSource = new SourceRateLimiter(config.ratePerSecond(), config.rateBurst(), nanoClock);
        this.global = new SourceRateLimiter(limits.globalRatePerSecond(), limits.globalBurst(), nanoClock);
        this.nanoClock = nanoClock;
    }

    /** Whether one message from {@code source} is taken; a taken message used one token of each budget. */
    public Verdict admit(InetAddress source) {
        if (banned(source)) {
            return Verdict.BANNED;
        }
        if (!global.tryAcquire(ALL_SOURCES)) {
            return Verdict.OVER_BUDGET;
        }
        return perSource.tryAcquire(source) ? Verdict.ADMIT : Verdict.RATE_LIMITED;
    }

    /**
     * Whether one message from a configured peer (a trunk) is taken: the ban and the global budget
     * apply, the per-source bucket does not (a busy trunk sends far more than one phone).
     */
    public Verdict admitPeer(InetAddress source) {
        if (banned(source)) {
            return Verdict.BANNED;
        }
        return global.tryAcquire(ALL_SOURCES) ? Verdict.ADMIT : Verdict.OVER_BUDGET;
    }

    /** Charges a message that did not parse: the rest of its cost beyond the token it already took. */
    public void parseError(InetAddress source) {
        if (limits.parseErrorCost() > 1) {
            perSource.tryAcquire(source, limits.parseErrorCost() - 1);
        }
    }

    /**
     * Counts one failed authentication from {@code source}.
     *
     * @return true when this failure banned the address (false when it was banned already)
     */
    public boolean authFailed(InetAddress source) {
        long now = nanoClock.getAsLong();
        long window = limits.authFailureWindow().toNanos();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> f.expired(now, window));
            if (failures.size() >= MAX_TRACKED && !failures.containsKey(source)) {
                return false;
            }
        }
        boolean[] banNow = new boolean[1];
        failures.compute(source, (k, f) -> {
            Failures list = f == null ? new Failures() : f;
            list.add(now, window);
            if (list.count() >= limits.authFailuresToBan()) {
                banNow[0] = true;
                return null;
            }
            return list;
        });
        return banNow[0] && ban(source, now);
    }

    /** Whether {@code source} is banned now. */
    public boolean banned(InetAddress source) {
        Long until = bannedUntil.get(source);
        if (until == null) {
            return false;
        }
        if (nanoClock.getAsLong() - until >= 0) {
            bannedUntil.remove(source, until);
            return false;
        }
        return true;
    }

    /** Addresses with failures counted and no ban yet (tests). */
    int trackedFailures() {
        return failures.size();
    }

    /** Addresses banned now (for tests and the README's figures). */
    public int bannedCount() {
        long now = nanoClock.getAsLong();
        bannedUntil.values().removeIf(until -> now - until >= 0);
        return bannedUntil.size();
    }

    /** Bans {@code source}; false when the table is full of live bans (it stays limited by its bucket). */
    private boolean ban(InetAddress source, long now) {
        if (bannedUntil.size() >= MAX_TRACKED) {
            bannedUntil.values().removeIf(until -> now - until >= 0);
            if (bannedUntil.size() >= MAX_TRACKED) {
                return false;
            }
        }
        bannedUntil.put(source, now + limits.banTime().toNanos());
        return true;
    }

    /** The times of one address's recent failures; touched only inside {@code compute}. */
    private static final class Failures {
        private final ArrayDeque<Long> times = new ArrayDeque<>();

        void add(long now, long window) {
            while (!times.isEmpty() && now - times.peekFirst() >= window) {
                times.pollFirst();
            }
            times.addLast(now);
        }

        int count() {
            return times.size();
        }

        boolean expired(long now, long window) {
            Long last = times.peekLast();
            return last == null || now - last >= window;
        }
    }
}
