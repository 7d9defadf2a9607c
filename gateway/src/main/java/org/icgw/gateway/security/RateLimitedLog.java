package org.icgw.gateway.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * Logs at most {@code perSecond} lines per kind and second at WARN; the lines beyond are counted,
 * and the first line of a later second says how many were left out. A flood of bad input thus
 * writes a bounded amount of log whatever its rate (issue 10: 3 kB of log per bad packet filled
 * the disk). The message supplier is only called for lines that are written.
 */
public final class RateLimitedLog {

    private static final long SECOND = 1_000_000_000L;

    private final Logger log;
    private final int perSecond;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param perSecond lines per kind and second
     * @param nanoClock monotonic time in nanoseconds ({@code System::nanoTime} in production)
     */
    public RateLimitedLog(Logger log, int perSecond, LongSupplier nanoClock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("perSecond must be at least 1");
        }
        this.log = log;
        this.perSecond = perSecond;
        this.nanoClock = nanoClock;
    }

    /**
     * Writes {@code message} at WARN unless this kind has used its lines for the current second.
     *
     * @param kind a small fixed set of names (one window each), never a value from the network
     */
    public void warn(String kind, Supplier<String> message) {
        Window w = windows.computeIfAbsent(kind, k -> new Window());
        long now = nanoClock.getAsLong();
        long suppressed = 0;
        boolean write;
        synchronized (w) {
            if (now - w.start >= SECOND) {
                suppressed = w.suppressed;
                w.start = now;
                w.written = 0;
                w.suppressed = 0;
            }
            write = w.written < perSecond;
            if (write) {
                w.written++;
            } else {
                w.suppressed++;
            }
        }
        if (suppressed > 0) {
            log.warn("{} more '{}' lines left out in the last second", suppressed, kind);
        }
        if (write) {
            log.warn(message.get());
        }
    }

    private static final class Window {
        long start = Long.MIN_VALUE / 2;
        int written;
        long suppressed;
    }

    /**
     * Makes text from the network safe for one log line: printable ASCII only (others become
     * {@code ?}), at most {@code max} characters, an ellipsis where cut. Never the whole payload.
     */
    public static String sanitize(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 3);
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > max) {
            out.append("...");
        }
        return out.toString();
    }
}
