package org.icgw.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.policy.model.Disposition;

/**
 * The calls' metrics on a Micrometer registry, named so that the Prometheus registry prints the
 * contract's names: {@code icgw_calls_total{disposition}}, {@code icgw_call_setup_seconds}
 * (histogram), {@code icgw_dtmf_digits_total{method}},
 * {@code icgw_three_way_detections_total{signal}}, {@code icgw_announcements_total}. The gauges
 * ({@code icgw_calls_active}, {@code icgw_registrations_active}) are registered by {@link Gateway}.
 */
public final class MicrometerCallMetrics implements CallMetrics {

    private final MeterRegistry registry;
    private final Timer setup;
    private final Counter announcements;

    public MicrometerCallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.setup = Timer.builder("icgw.call.setup")
                .description("Inmate INVITE to callee answer")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
        this.announcements = Counter.builder("icgw.announcements").register(registry);
    }

    @Override
    public void callStarted() {
        // Active calls are a gauge over the call manager.
    }

    @Override
    public void callEnded(Disposition disposition) {
        Counter.builder("icgw.calls").tag("disposition", disposition.wireName()).register(registry).increment();
    }

    @Override
    public void setupTime(Duration duration) {
        setup.record(duration);
    }

    @Override
    public void digit(CallEvent.DigitMethod method) {
        Counter.builder("icgw.dtmf.digits").tag("method", method.label()).register(registry).increment();
    }

    @Override
    public void threeWay(String signal) {
        Counter.builder("icgw.three.way.detections").tag("signal", signal).register(registry).increment();
    }

    @Override
    public void announcement() {
        announcements.increment();
    }
}
