package org.icgw.media.port;

import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Hands out RTP/RTCP port pairs from a configured range: the RTP port is even and RTCP is the
 * odd port above it (RFC 3550 section 11). Thread-safe and lock-free.
 *
 * <p>Free pairs are kept in first-in first-out order, so a released pair goes to the back and
 * is reused as late as possible; stray packets of an ended call then rarely reach a new one.
 * Releasing a port that is not allocated is refused, so a double release cannot hand the same
 * pair to two sessions.
 */
public final class PortAllocator {
    /** Contract "Processes and ports": RTP on even ports of 20000-29999. */
    public static final int DEFAULT_MIN = 20000;
    /** Contract "Processes and ports". */
    public static final int DEFAULT_MAX = 29999;

    private final int minPort;
    private final int pairs;
    private final ConcurrentLinkedQueue<Integer> free = new ConcurrentLinkedQueue<>();
    /** 1 where the pair is allocated; guards against double release and double allocation. */
    private final AtomicIntegerArray allocated;

    /**
     * Creates an allocator over {@code [minPort, maxPort]}; the first RTP port is {@code minPort}
     * rounded up to even, the last pair must fit entirely in the range.
     */
    public PortAllocator(int minPort, int maxPort) {
        if (minPort < 1024 || maxPort > 65535 || maxPort <= minPort) {
            throw new IllegalArgumentException("bad RTP port range " + minPort + "-" + maxPort);
        }
        int first = (minPort + 1) & ~1;
        int count = (maxPort - first + 1) / 2;
        if (count < 1) {
            throw new IllegalArgumentException("RTP port range " + minPort + "-" + maxPort + " holds no even/odd pair");
        }
        this.minPort = first;
        this.pairs = count;
        this.allocated = new AtomicIntegerArray(count);
        for (int i = 0; i < count; i++) {
            free.add(first + 2 * i);
        }
    }

    /** An allocator over the contract's default range 20000-29999. */
    public static PortAllocator defaultRange() {
        return new PortAllocator(DEFAULT_MIN, DEFAULT_MAX);
    }

    /** Takes a free pair and returns its (even) RTP port, or empty when the range is exhausted. */
    public OptionalInt allocate() {
        Integer port = free.poll();
        if (port == null) {
            return OptionalInt.empty();
        }
        if (!allocated.compareAndSet(index(port), 0, 1)) {
            throw new IllegalStateException("port " + port + " was free and allocated at once");
        }
        return OptionalInt.of(port);
    }

    /**
     * Returns a pair to the pool.
     *
     * @param rtpPort an RTP port returned by {@link #allocate()}
     * @return false if the port is outside the range, odd or not currently allocated
     */
    public boolean release(int rtpPort) {
        if (rtpPort < minPort || rtpPort >= minPort + 2 * pairs || (rtpPort & 1) != 0) {
            return false;
        }
        if (!allocated.compareAndSet(index(rtpPort), 1, 0)) {
            return false;
        }
        free.add(rtpPort);
        return true;
    }

    private int index(int rtpPort) {
        return (rtpPort - minPort) / 2;
    }

    /** Number of pairs in the range. */
    public int capacity() {
        return pairs;
    }

    /** Number of pairs currently allocated. */
    public int inUse() {
        int n = 0;
        for (int i = 0; i < pairs; i++) {
            n += allocated.get(i);
        }
        return n;
    }

    /** Lowest RTP port of the range. */
    public int firstPort() {
        return minPort;
    }

    /** Highest RTP port of the range. */
    public int lastPort() {
        return minPort + 2 * (pairs - 1);
    }
}
