package org.icgw.media;

/**
 * A small first-in first-out store of samples: the announcement samples not yet mixed into what
 * one leg hears. It holds at most its capacity; when full the oldest go, so it stays bounded.
 * Owned by the session's event loop.
 */
final class SampleFifo {
    private final int capacity;
    private final short[] ring;
    private int head;
    private int size;

    SampleFifo(int capacity) {
        this.capacity = capacity;
        this.ring = new short[capacity];
    }

    void push(short[] src, int off, int len) {
        if (len > capacity) {
            off += len - capacity;
            len = capacity;
        }
        int overflow = size + len - capacity;
        if (overflow > 0) {
            head = (head + overflow) % capacity;
            size -= overflow;
        }
        int tail = (head + size) % capacity;
        for (int i = 0; i < len; i++) {
            ring[tail] = src[off + i];
            tail = tail + 1 == capacity ? 0 : tail + 1;
        }
        size += len;
    }

    /** Moves up to {@code len} samples into {@code dst}; the rest of {@code dst[0..len)} is zeroed. */
    int pop(short[] dst, int len) {
        int n = Math.min(len, size);
        for (int i = 0; i < n; i++) {
            dst[i] = ring[head];
            head = head + 1 == capacity ? 0 : head + 1;
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
