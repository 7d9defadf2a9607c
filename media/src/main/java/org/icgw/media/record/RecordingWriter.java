package org.icgw.media.record;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that writes every {@link CallRecorder} registered with it: each pass
 * drains their queues and writes what is due. A call's recording then costs no thread and no
 * wake-up of its own, and the packet path never wakes this one: it runs on its own clock.
 */
public final class RecordingWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecordingWriter.class);

    private final Set<CallRecorder> recorders = ConcurrentHashMap.newKeySet();
    private final long intervalNanos;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * Starts the writer thread.
     *
     * @param interval time between passes; a recorder's buffer pool must hold more than this
     */
    public RecordingWriter(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.thread = Thread.ofPlatform().daemon().name("recording-writer").start(this::run);
    }

    void register(CallRecorder recorder) {
        if (closed) {
            throw new IllegalStateException("recording writer closed");
        }
        recorders.add(recorder);
    }

    void unregister(CallRecorder recorder) {
        recorders.remove(recorder);
    }

    /** Recordings being served. */
    public int active() {
        return recorders.size();
    }

    private void run() {
        while (!closed) {
            long start = System.nanoTime();
            for (CallRecorder r : recorders) {
                try {
                    r.serve(start);
                } catch (IOException | RuntimeException e) {
                    recorders.remove(r);
                    r.fail(e instanceof IOException io ? io : new IOException(e));
                }
            }
            LockSupport.parkNanos(this, intervalNanos - (System.nanoTime() - start));
        }
    }

    /**
     * Stops the thread after its current pass. Recordings still registered are finished by their
     * own {@link CallRecorder#close()}.
     */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("recording writer did not stop within 5 s");
        }
    }
}
