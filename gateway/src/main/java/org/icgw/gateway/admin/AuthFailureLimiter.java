package org.icgw.gateway.admin;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Failed bearer tokens per source address (issue 10: the admin API took 1,000 wrong tokens at
 * 1,300/s). An address's window opens with its first failure and lasts {@link #WINDOW}; once it
 * has {@code failuresPerWindow} failures in it, the address is {@linkplain #blockedFor blocked}
 * until the window closes, whatever it sends, so that guessing cannot go on with the next token.
 *
 * <p>Memory is bounded: at most {@link #MAX_TRACKED_ADDRESSES} addresses are kept. Entries are
 * kept in the order their windows opened, so expired ones are dropped from the head; when the
 * table is full of live windows the oldest is dropped (an attacker must fail from that many other
 * addresses to clear one address's count, and gains no more guesses per address than the limit).
 *
 * <p>Thread-safe. A check and the count of its failure happen under one lock
 * ({@link #attempt}), so concurrent requests from one address cannot slip extra guesses between
 * them.
 */
final class AuthFailureLimiter {

    /** How long the failures of one window count. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** Addresses tracked at most: about 1.5 MB of table; far more than the operators and scanners one site sees. */
    static final int MAX_TRACKED_ADDRESSES = 10_000;

    /** The outcome of one authentication attempt. */
    sealed interface Attempt<T> {
        /** The address is over its limit: the check was not run. */
        record Blocked<T>(Duration retryAfter) implements Attempt<T> {
        }

        /** The check ran; {@code failed} says whether it was counted as a failure. */
        record Checked<T>(T result, boolean failed) implements Attempt<T> {
        }
    }

    /** A check of credentials whose result says whether it failed. */
    interface Check<T> {
        T run();

        boolean failed(T result);
    }

    private final int failuresPerWindow;
    private final long windowNanos = WINDOW.toNanos();
    private final LongSupplier nanoClock;
    private final LinkedHashMap<InetAddress, Window> windows = new LinkedHashMap<>();

    private static final class Window {
        final long opened;
        int failures;

        Window(long opened) {
            this.opened = opened;
        }
    }

    /**
     * @param failuresPerWindow failures an address may have within {@link #WINDOW}
     * @param nanoClock         monotonic time in nanoseconds ({@code System::nanoTime} in production)
     */
    AuthFailureLimiter(int failuresPerWindow, LongSupplier nanoClock) {
        if (failuresPerWindow < 1) {
            throw new IllegalArgumentException("failuresPerWindow must be at least 1");
        }
        this.failuresPerWindow = failuresPerWindow;
        this.nanoClock = nanoClock;
    }

    /** How long {@code source} must still wait, or empty when it may try now. */
    synchronized Optional<Duration> blockedFor(InetAddress source) {
        long now = nanoClock.getAsLong();
        Window w = live(source, now);
        if (w == null || w.failures < failuresPerWindow) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(w.opened + windowNanos - now));
    }

    /** Runs {@code check} for {@code source} unless it is blocked, and counts it if it failed. */
    synchronized <T> Attempt<T> attempt(InetAddress source, Check<T> check) {
        Optional<Duration> wait = blockedFor(source);
        if (wait.isPresent()) {
            return new Attempt.Blocked<>(wait.get());
        }
        T result = check.run();
        boolean failed = check.failed(result);
        if (failed) {
            failed(source);
        }
        return new Attempt.Checked<>(result, failed);
    }

    /** Counts one failure of {@code source}. */
    synchronized void failed(InetAddress source) {
        long now = nanoClock.getAsLong();
        Window w = live(source, now);
        if (w == null) {
            sweep(now);
            if (windows.size() >= MAX_TRACKED_ADDRESSES) {
                Iterator<Window> oldest = windows.values().iterator();
                oldest.next();
                oldest.remove();
            }
            w = new Window(now);
            windows.put(source, w);
        }
        w.failures++;
    }

    /** Addresses tracked now (tests). */
    synchronized int tracked() {
        sweep(nanoClock.getAsLong());
        return windows.size();
    }

    /** The address's window if it is still open; an expired one is dropped. */
    private Window live(InetAddress source, long now) {
        Window w = windows.get(source);
        if (w != null && now - w.opened >= windowNanos) {
            windows.remove(source);
            return null;
        }
        return w;
    }

    /** Drops expired windows from the head: they are in the order they opened. */
    private void sweep(long now) {
        Iterator<Window> it = windows.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().opened < windowNanos) {
                return;
            }
            it.remove();
        }
    }
}
