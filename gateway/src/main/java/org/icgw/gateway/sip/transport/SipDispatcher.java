package org.icgw.gateway.sip.transport;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands parsed messages from the event loops to the JAIN-SIP stack, whose transaction layer may
 * block (semaphores, its own locks). A fixed number of lanes, each one thread with a bounded queue;
 * a flow (a TCP connection, a UDP source address and port) always maps to the same lane, so its
 * messages reach the stack in the order they arrived. A full lane refuses the message: the caller
 * drops it and counts it (the sender retransmits over UDP; over TCP the transaction times out).
 */
final class SipDispatcher implements AutoCloseable {

    /** Lanes (threads): as many as the stack's old UDP pool; the stack's work per message is short. */
    static final int LANES = 4;
    /** Messages waiting per lane: about a second of the default global budget (2,000/s) per lane. */
    static final int QUEUE_PER_LANE = 512;

    private final ThreadPoolExecutor[] lanes = new ThreadPoolExecutor[LANES];

    SipDispatcher(String name) {
        AtomicInteger ids = new AtomicInteger();
        for (int i = 0; i < LANES; i++) {
            lanes[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE_PER_LANE),
                    r -> new Thread(r, name + "-dispatch-" + ids.getAndIncrement()));
            lanes[i].prestartAllCoreThreads();
        }
    }

    /**
     * Queues {@code task} on the lane of {@code flow}.
     *
     * @return false when that lane's queue is full or the dispatcher is closed (the task is dropped)
     */
    boolean dispatch(Object flow, Runnable task) {
        try {
            lanes[Math.floorMod(flow.hashCode(), LANES)].execute(task);
            return true;
        } catch (RejectedExecutionException full) {
            return false;
        }
    }

    /** Messages waiting in all lanes (tests). */
    int queued() {
        int n = 0;
        for (ThreadPoolExecutor lane : lanes) {
            n += lane.getQueue().size();
        }
        return n;
    }

    /** Drops what is queued and ends the lane threads, waiting a few seconds for a running task. */
    @Override
    public void close() {
        for (ThreadPoolExecutor lane : lanes) {
            lane.shutdownNow();
        }
        for (ThreadPoolExecutor lane : lanes) {
            try {
                lane.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
