package org.icgw.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.policy.model.Disposition;

/**
 * The calls' metrics in Micrometer, under the contract's Prometheus names: {@code icgw_calls_total
 * {disposition}}, {@code icgw_call_setup_seconds} (histogram), {@code icgw_dtmf_digits_total
 * {method}}, {@code icgw_three_way_detections_total{signal}} and {@code icgw_announcements_total}.
 * Micrometer's Prometheus naming appends {@code _total} to counters and the base unit
 * ({@code _seconds}) to timers, so the meters are named without them.
 *
 * <p>Every disposition, digit method and known three-way signal is registered at zero up front,
 * so that a rate over a series that has not happened yet reads 0, not "no data".
 */
public final class MicrometerCallMetrics implements CallMetrics {
    /** The three-way signals the call flow reports (contract, call flow step 10). */
    public static final java.util.List<String> THREE_WAY_SIGNALS = java.util.List.of("rfc4733_flash", "info_flash",
            "hold_reinvite", "refer", "provisional_181", "redirect_3xx", "dial_tone", "callee_dtmf");

    /** Buckets of the setup histogram, in seconds: from a fast answer to the 45 s no-answer limit. */
    static final double[] SETUP_BUCKETS = {0.5, 1, 2, 3, 5, 8, 13, 20, 30, 45, 60};

    private final MeterRegistry registry;
    private final Counter started;
    private final Map<Disposition, Counter> ended = new EnumMap<>(Disposition.class);
    private final Map<CallEvent.DigitMethod, Counter> digits = new EnumMap<>(CallEvent.DigitMethod.class);
    private final Map<String, Counter> threeWay = new ConcurrentHashMap<>();
    private final Counter announcements;
    private final Timer setup;

    public MicrometerCallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.started = Counter.builder("icgw.calls.started").description("Calls begun (INVITE answered by the IVR)")
                .register(registry);
        for (Disposition d : Disposition.values()) {
            ended.put(d, Counter.builder("icgw.calls").description("Calls ended, by disposition")
                    .tag("disposition", d.wireName()).register(registry));
        }
        for (CallEvent.DigitMethod m : CallEvent.DigitMethod.values()) {
            digits.put(m, Counter.builder("icgw.dtmf.digits").description("Keypad digits received, by how they came")
                    .tag("method", m.label()).register(registry));
        }
        THREE_WAY_SIGNALS.forEach(this::threeWayCounter);
        this.announcements = Counter.builder("icgw.announcements")
                .description("Periodic correctional-facility announcements mixed into bridged calls").register(registry);
        this.setup = Timer.builder("icgw.call.setup").description("Inmate INVITE to callee answer")
                .serviceLevelObjectives(durations(SETUP_BUCKETS)).register(registry);
    }

    private static Duration[] durations(double[] seconds) {
        Duration[] out = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            out[i] = Duration.ofMillis(Math.round(seconds[i] * 1000));
        }
        return out;
    }

    private Counter threeWayCounter(String signal) {
        return threeWay.computeIfAbsent(signal, s -> Counter.builder("icgw.three.way.detections")
                .description("Three-way-call attempts detected, by the signal that gave them away")
                .tag("signal", s).register(registry));
    }

    @Override
    public void callStarted() {
        started.increment();
    }

    @Override
    public void callEnded(Disposition disposition) {
        ended.get(disposition).increment();
    }

    @Override
    public void setupTime(Duration d) {
        setup.record(d);
    }

    @Override
    public void digit(CallEvent.DigitMethod method) {
        digits.get(method).increment();
    }

    @Override
    public void threeWay(String signal) {
        threeWayCounter(signal).increment();
    }

    @Override
    public void announcement() {
        announcements.increment();
    }

    /** {@code icgw_trunk_attempts_total{trunk}}: INVITEs sent to each trunk. */
    @Override
    public void trunkAttempt(String trunk) {
        Counter.builder("icgw.trunk.attempts").description("INVITEs sent to a trunk").tag("trunk", trunk)
                .register(registry).increment();
    }

    /** {@code icgw_trunk_failures_total{trunk,status}}: 5xx/6xx, no response (408), not sent (503). */
    @Override
    public void trunkFailure(String trunk, int status) {
        Counter.builder("icgw.trunk.failures").description("Trunk attempts that failed and moved on")
                .tag("trunk", trunk).tag("status", Integer.toString(status)).register(registry).increment();
    }
}
