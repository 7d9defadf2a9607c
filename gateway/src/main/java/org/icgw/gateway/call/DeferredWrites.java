package org.icgw.gateway.call;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.icgw.policy.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store writes that must not be lost while the store is unreachable: a call's settlement and its
 * CDR (contract, bad input: "calls in progress finish and settle when the store returns").
 *
 * <p>{@link #submit} runs the write at once; if the store is unreachable it keeps the write and
 * retries the queue in order, every {@code retry}, on one thread of its own, off every call's
 * path; only that thread drains, so the queue needs no lock. Each write must be safe to run again (a settlement commits each reservation at most
 * once; a CDR is saved by call id).
 */
public final class DeferredWrites implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredWrites.class);

    private record Write(String what, Runnable work) {
    }

    private final ConcurrentLinkedDeque<Write> queue = new ConcurrentLinkedDeque<>();
    private final ScheduledExecutorService retrier;

    public DeferredWrites(Duration retry) {
        this.retrier = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("store-retry").factory());
        retrier.scheduleWithFixedDelay(this::drain, retry.toMillis(), retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code work} now, or later once the store answers again. */
    public void submit(String what, Runnable work) {
        if (!queue.isEmpty()) {
            queue.addLast(new Write(what, work));
            LOG.warn("store unreachable: {} waits behind earlier writes", what);
            return;
        }
        try {
            work.run();
        } catch (StoreException e) {
            LOG.warn("store unreachable: {} kept for retry ({})", what, e.getMessage());
            queue.addLast(new Write(what, work));
        }
    }

    /** Writes still waiting for the store. */
    public int pending() {
        return queue.size();
    }

    /** Retries the waiting writes in order, stopping at the first that still fails. */
    void drain() {
        while (true) {
            Write next = queue.peekFirst();
            if (next == null) {
                return;
            }
            try {
                next.work().run();
            } catch (StoreException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("{} failed for good and is dropped", next.what(), e);
            }
            LOG.info("store back: {} written", next.what());
            queue.pollFirst();
        }
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
        queue.forEach(w -> LOG.error("store unreachable at shutdown: {} is lost", w.what()));
    }
}
