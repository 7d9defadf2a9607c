package org.icgw.gateway.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.icgw.gateway.call.DeferredWrites;
import org.icgw.media.RtpTotals;
import org.icgw.policy.store.StoreObserver;

/**
 * The gateway's meter registry and the gauges and counters that read other parts' state when
 * scraped. The assembly does, in order: {@link #newRegistry()}; {@code new MicrometerCallMetrics(registry)}
 * for the calls; {@link #bindGauges} with {@code () -> callManager.active().size()} and
 * {@code registrations::activeCount}; {@link #bindMedia} with {@code mediaEngine::rtpTotals}.
 * The registry's {@code scrape()} is what {@code /metrics} serves.
 *
 * <p>Names (Prometheus): {@code icgw_calls_active}, {@code icgw_registrations_active},
 * {@code icgw_rtp_packets_total{direction="in"|"out"}} (RTP packets accepted from the legs /
 * sent to them), {@code icgw_rtp_packets_lost_total} (RFC 3550 A.3 loss, summed over legs), and
 * the JVM's ({@code jvm_memory_*}, {@code jvm_gc_*}, {@code jvm_threads_*}, {@code system_cpu_*},
 * {@code process_cpu_*}).
 */
public final class GatewayMetrics {
    private GatewayMetrics() {
    }

    /** A Prometheus registry with the JVM's memory, GC, thread and processor metrics bound. */
    public static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        return registry;
    }

    /**
     * Gauges of the calls in progress and the registered terminals, read at each scrape. The
     * suppliers are held strongly: Micrometer holds a gauge's object weakly by default, and a
     * method reference that nothing else keeps would be collected and read as NaN.
     */
    public static void bindGauges(MeterRegistry registry, IntSupplier activeCalls, IntSupplier registrations) {
        Gauge.builder("icgw.calls.active", activeCalls, IntSupplier::getAsInt).strongReference(true)
                .description("Calls in progress").register(registry);
        Gauge.builder("icgw.registrations.active", registrations, IntSupplier::getAsInt).strongReference(true)
                .description("Terminals with a current SIP registration").register(registry);
    }

    /**
     * Counters over the media plane's running RTP totals, read at each scrape. A function
     * counter holds its object weakly and its function strongly, so the object is the registry
     * itself (alive as long as it is scraped) and the function carries {@code totals}.
     */
    public static void bindMedia(MeterRegistry registry, Supplier<RtpTotals> totals) {
        FunctionCounter.builder("icgw.rtp.packets", registry, r -> totals.get().packetsIn())
                .description("RTP packets, in from the legs or out to them").tag("direction", "in").register(registry);
        FunctionCounter.builder("icgw.rtp.packets", registry, r -> totals.get().packetsOut())
                .description("RTP packets, in from the legs or out to them").tag("direction", "out").register(registry);
        FunctionCounter.builder("icgw.rtp.packets.lost", registry, r -> totals.get().packetsLost())
                .description("RTP packets lost on the way in (RFC 3550 A.3)").register(registry);
    }

    /**
     * The ended calls' writes kept for the store: {@code icgw_store_writes_pending} (waiting now),
     * {@code icgw_store_write_wait_seconds} (how long the oldest has waited, 0 when none),
     * {@code icgw_store_writes_repaired_total} (refused, then taken with their text cut to the
     * columns) and {@code icgw_store_writes_set_aside_total} (refused even repaired, kept in
     * {@code rejected_writes}).
     */
    public static void bindStoreWrites(MeterRegistry registry, DeferredWrites writes) {
        Gauge.builder("icgw.store.writes.pending", writes, DeferredWrites::pending).strongReference(true)
                .description("CDRs and settlements waiting for the store").register(registry);
        Gauge.builder("icgw.store.write.wait", writes, w -> w.oldestWait().map(d -> d.toNanos() / 1e9).orElse(0.0))
                .strongReference(true).baseUnit("seconds")
                .description("How long the oldest waiting store write has waited").register(registry);
        FunctionCounter.builder("icgw.store.writes.repaired", writes, DeferredWrites::repaired)
                .description("Store writes refused for their data and taken once repaired").register(registry);
        FunctionCounter.builder("icgw.store.writes.set.aside", writes, DeferredWrites::setAside)
                .description("Store writes refused even repaired, kept in rejected_writes").register(registry);
    }

    /**
     * Store latency: {@code icgw_store_seconds{op,outcome}} (a timer with a histogram of the
     * round's duration; {@code op} is {@code read} or {@code write}, {@code outcome} {@code ok} or
     * {@code error}).
     */
    public static StoreObserver storeObserver(MeterRegistry registry) {
        Map<String, io.micrometer.core.instrument.Timer> timers = new ConcurrentHashMap<>();
        return (op, nanos, failed) -> timers.computeIfAbsent(op + (failed ? "/error" : "/ok"),
                        k -> Timer.builder("icgw.store")
                                .description("Store reads and writes, connection checkout included")
                                .tag("op", op).tag("outcome", failed ? "error" : "ok")
                                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5),
                                        Duration.ofMillis(20), Duration.ofMillis(100),
                                        Duration.ofMillis(500))
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
