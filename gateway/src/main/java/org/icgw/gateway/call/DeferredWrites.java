package org.icgw.gateway.call;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.icgw.policy.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store writes that must not be lost while the store is unreachable, and that one bad record
 * must not hold up: a call's settlement and its CDR (contract, bad input: "calls in progress
 * finish and settle when the store returns").
 *
 * <pre>
 *   run ─► written ─► done
 *       ─► store unavailable (StoreException UNAVAILABLE) ─► kept; retried in order every retry
 *       ─► data refused (ValidationException, StoreException REFUSED, any other failure)
 *            ─► repair ─► written ─► done (WARN once, counted)
 *                      ─► unavailable ─► the repaired write is kept in the original's place
 *                      ─► refused, or nothing to repair ─► set aside (rejected_writes; WARN once,
 *                         counted); the writes behind it go on
 * </pre>
 *
 * <p>{@link #submit} runs the write at once on the caller's thread, unless earlier writes wait,
 * then it waits behind them: a call's settlement and CDR stay in order. Only the one retry thread
 * drains the queue, off every call's path, so the queue needs no lock. The queue holds what
 * ended calls could not write while the store was unreachable; new calls are refused then (fail
 * closed), so it holds at most two writes per call in progress when the store went, and never
 * a write the store refused for its data.
 *
 * <p>{@link #stalled} reports a write waiting longer than {@code maxWait}, for {@code /readyz}.
 */
public final class DeferredWrites implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredWrites.class);

    /**
     * Characters of a store's refusal that are logged and kept: a database message may quote
     * the refused value whole, and a log line must stay short.
     */
    static final int MAX_REASON_CHARS = 200;

    /** Where a write goes that the store refused even repaired. */
    @FunctionalInterface
    public interface SetAside {
        /**
         * Keeps {@code write} for an operator ({@code rejected_writes}).
         *
         * @throws StoreException when the store is unreachable: the write stays queued
         */
        void keep(StoreWrite write, String reason);
    }

    /**
     * A write on its way: {@code write} becomes its repair once the store refused the original,
     * and {@code refusal} says why. Touched by one thread at a time: the submitting thread until
     * it is queued, the retry thread after.
     */
    private static final class Pending {
        final long sinceNanos;
        final StoreWrite original;
        volatile StoreWrite write;
        volatile Optional<String> refusal = Optional.empty();

        Pending(StoreWrite write, long sinceNanos) {
            this.original = write;
            this.write = write;
            this.sinceNanos = sinceNanos;
        }
    }

    private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
    private final ScheduledExecutorService retrier;
    private final Duration maxWait;
    private final SetAside setAside;
    private final LongAdder repairedCount = new LongAdder();
    private final LongAdder setAsideCount = new LongAdder();

    /**
     * @param retry    how often the kept writes are tried again
     * @param maxWait  past this, a waiting write makes {@link #stalled} report
     * @param setAside keeps a write refused even repaired
     */
    public DeferredWrites(Duration retry, Duration maxWait, SetAside setAside) {
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
        this.setAside = Objects.requireNonNull(setAside, "setAside");
        this.retrier = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("store-retry").factory());
        retrier.scheduleWithFixedDelay(this::drain, retry.toMillis(), retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Writes {@code write} now, or later once the store answers again and the writes before it are done. */
    public void submit(StoreWrite write) {
        Pending p = new Pending(write, System.nanoTime());
        if (!queue.isEmpty()) {
            queue.addLast(p);
            LOG.warn("store unreachable: {} waits behind earlier writes", what(write));
            return;
        }
        if (!attempt(p)) {
            queue.addLast(p);
            LOG.warn("store unreachable: {} kept for retry", what(write));
        }
    }

    /** Writes still waiting for the store. */
    public int pending() {
        return queue.size();
    }

    /** How long the oldest waiting write has waited; empty when none waits. */
    public Optional<Duration> oldestWait() {
        Pending head = queue.peekFirst();
        return head == null ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - head.sinceNanos));
    }

    /**
     * Why the gateway is not ready, when a write has waited longer than {@code maxWait}: how many
     * wait, which is the oldest and for how long. Empty otherwise.
     */
    public Optional<String> stalled() {
        Pending head = queue.peekFirst();
        if (head == null) {
            return Optional.empty();
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - head.sinceNanos);
        if (waited.compareTo(maxWait) <= 0) {
            return Optional.empty();
        }
        return Optional.of(queue.size() + " store write(s) waiting; the oldest, " + what(head.original) + ", for "
                + seconds(waited) + ", longer than store.max_write_wait " + seconds(maxWait));
    }

    /** Writes the store refused and took once repaired, since start. */
    public long repaired() {
        return repairedCount.sum();
    }

    /** Writes the store refused even repaired, set aside, since start. */
    public long setAside() {
        return setAsideCount.sum();
    }

    /** Retries the waiting writes in order, stopping at the first the store cannot take yet. */
    void drain() {
        while (true) {
            Pending next = queue.peekFirst();
            if (next == null) {
                return;
            }
            if (!attempt(next)) {
                return;
            }
            queue.pollFirst();
            LOG.info("store back: {} done after {}", what(next.original),
                    seconds(Duration.ofNanos(System.nanoTime() - next.sinceNanos)));
        }
    }

    /**
     * Runs the pending write; when the store refuses its data, replaces it by its repair and runs
     * that once; sets aside what is refused even so.
     *
     * @return true when done with it (written, written repaired, or set aside); false when it
     *         must wait for the store (then {@code p} holds the write to run next time)
     */
    private boolean attempt(Pending p) {
        Optional<RuntimeException> failure = tryRun(p.write);
        if (failure.isEmpty()) {
            p.refusal.ifPresent(reason -> {
                repairedCount.increment();
                LOG.warn("store refused {} ({}): written repaired, its text cut to the store's columns",
                        what(p.original), reason);
            });
            return true;
        }
        if (!refused(failure.get())) {
            return false;
        }
        String reason = reason(failure.get());
        if (p.refusal.isEmpty()) {
            Optional<StoreWrite> repair = p.write.repaired();
            if (repair.isPresent()) {
                p.write = repair.get();
                p.refusal = Optional.of(reason);
                return attempt(p);
            }
        } else {
            reason = p.refusal.get() + "; repaired: " + reason;
        }
        try {
            setAside.keep(p.original, reason);
        } catch (RuntimeException e) {
            if (!refused(e)) {
                return false;
            }
            LOG.error("store refused {} ({}) and could not set it aside: it is lost", what(p.original), reason, e);
            return true;
        }
        setAsideCount.increment();
        LOG.warn("store refused {} ({}): set aside in rejected_writes; the writes behind it go on", what(p.original),
                reason);
        return true;
    }

    private static Optional<RuntimeException> tryRun(StoreWrite write) {
        try {
            write.run();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of(e);
        }
    }

    /**
     * Whether the failure is the data's: retrying the same write cannot help. Only an unreachable
     * store is waited for; anything else (a refusal, or a bug) is repaired or set aside.
     */
    private static boolean refused(RuntimeException e) {
        return !(e instanceof StoreException s) || s.refused();
    }

    /** The failure on one line (a database message may span several), cut to {@link #MAX_REASON_CHARS}. */
    private static String reason(RuntimeException e) {
        String message = (e.getClass().getSimpleName() + ": " + e.getMessage()).replaceAll("\\p{Cntrl}+", " ");
        return message.length() <= MAX_REASON_CHARS ? message : message.substring(0, MAX_REASON_CHARS) + "...";
    }

    private static String what(StoreWrite write) {
        return write.kind() + " of call " + write.callId();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** Tries the waiting writes once more, then stops; what still waits is logged. */
    @Override
    public void close() {
        retrier.shutdown();
        try {
            retrier.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
        queue.forEach(p -> LOG.error("store unreachable at shutdown: {} is lost", what(p.original)));
    }
}
