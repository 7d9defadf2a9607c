package org.icgw.gateway.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every security event goes: a counter per type ({@code icgw_security_events_total{type}})
 * and one log line per event on the logger {@code org.icgw.security}, limited per type and second
 * by {@link RateLimitedLog}. The line is
 * <pre>  security event auth_failed from 192.0.2.10:5060: REGISTER for 'pod-a-1'</pre>
 * with the source address as the packet gave it (the port left out where it is not known), and a detail that is sanitised and short: never a
 * payload, a password, a digest response or a PIN.
 */
public final class SecurityEvents {

    /** The logger a fail2ban filter or a log shipper selects. */
    public static final String LOGGER = "org.icgw.security";
    /** Longest detail written. */
    static final int MAX_DETAIL = 120;

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final Map<SecurityEvent, AtomicLong> counts = new EnumMap<>(SecurityEvent.class);
    private final Map<SecurityEvent, Counter> counters = new EnumMap<>(SecurityEvent.class);
    private final RateLimitedLog lines;

    /**
     * @param registry          where the counters go (absent in some tests)
     * @param logLinesPerSecond lines per second and type
     */
    public SecurityEvents(MeterRegistry registry, int logLinesPerSecond, LongSupplier nanoClock) {
        for (SecurityEvent type : SecurityEvent.values()) {
            counts.put(type, new AtomicLong());
            if (registry != null) {
                counters.put(type, Counter.builder("icgw.security.events")
                        .description("Security events: refused, malformed, banned, failed authentication")
                        .tag("type", type.label()).register(registry));
            }
        }
        this.lines = new RateLimitedLog(log, logLinesPerSecond, nanoClock);
    }

    /** Events counted but not exported (unit tests). */
    public static SecurityEvents unregistered() {
        return new SecurityEvents(null, 5, System::nanoTime);
    }

    /** Counts one event and logs it, unless this type has used its lines for the second. */
    public void record(SecurityEvent type, InetSocketAddress source, String detail) {
        counts.get(type).incrementAndGet();
        Counter counter = counters.get(type);
        if (counter != null) {
            counter.increment();
        }
        lines.warn(type.label(), () -> "security event " + type.label() + " from " + address(source) + ": "
                + RateLimitedLog.sanitize(detail, MAX_DETAIL));
    }

    /** Events of this type so far. */
    public long count(SecurityEvent type) {
        return counts.get(type).get();
    }

    private static String address(InetSocketAddress source) {
        if (source == null || source.getAddress() == null) {
            return "unknown";
        }
        String host = source.getAddress().getHostAddress();
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return source.getPort() == 0 ? shown : shown + ":" + source.getPort();
    }
}
