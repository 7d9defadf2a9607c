package org.icgw.media;

/**
 * A small first-in first-out store of decoded samples from one leg, read by the 20 ms pacer of
 * the other direction. It holds at most {@link #CAPACITY} samples (60 ms); when full the oldest
 * go, so the delay it adds stays bounded. Owned by the session's event loop.
 */
final class SampleFifo {
    static final int CAPACITY = 480;

    private final short[] ring = new short[CAPACITY];
    private int head;
    private int size;

    void push(short[] src, int off, int len) {
        if (len > CAPACITY) {
            off += len - CAPACITY;
            len = CAPACITY;
        }
        int overflow = size + len - CAPACITY;
        if (overflow > 0) {
            head = (head + overflow) % CAPACITY;
            size -= overflow;
        }
        int tail = (head + size) % CAPACITY;
        for (int i = 0; i < len; i++) {
            ring[tail] = src[off + i];
            tail = tail + 1 == CAPACITY ? 0 : tail + 1;
        }
        size += len;
    }

    /** Moves up to {@code len} samples into {@code dst}; the rest of {@code dst[0..len)} is zeroed. */
    int pop(short[] dst, int len) {
        int n = Math.min(len, size);
        for (int i = 0; i < n; i++) {
            dst[i] = ring[head];
            head = head + 1 == CAPACITY ? 0 : head + 1;
        }
        size -= n;
        for (int i = n; i < len; i++) {
            dst[i] = 0;
        }
        return n;
    }

    void clear() {
        head = 0;
        size = 0;
    }

    int size() {
        return size;
    }
}
