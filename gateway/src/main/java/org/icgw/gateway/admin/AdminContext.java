package org.icgw.gateway.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.icgw.gateway.call.CallManager;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.PolicyStore;

/**
 * What the admin API works on, handed over by the gateway's assembly.
 *
 * @param store         provisioning, money, call records and the audit log
 * @param pins          hashes and indexes PINs set through the API
 * @param calls         the calls in progress (list, cut off)
 * @param registrations how many terminals are registered now (shown by {@code /readyz})
 * @param sipBound      whether the SIP listeners are bound, for {@code /readyz}
 * @param metrics       the registry whose scrape {@code /metrics} serves
 * @param clock         the time written on deposits, blocks, rates and audit entries
 */
public record AdminContext(PolicyStore store, PinHasher pins, CallManager calls, IntSupplier registrations,
                           BooleanSupplier sipBound, PrometheusMeterRegistry metrics, Clock clock) {
    public AdminContext {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(pins, "pins");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(registrations, "registrations");
        Objects.requireNonNull(sipBound, "sipBound");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(clock, "clock");
    }

    /** A context on the system clock. */
    public AdminContext(PolicyStore store, PinHasher pins, CallManager calls, IntSupplier registrations,
                        BooleanSupplier sipBound, PrometheusMeterRegistry metrics) {
        this(store, pins, calls, registrations, sipBound, metrics, Clock.systemUTC());
    }
}
