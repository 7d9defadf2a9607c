package org.icgw.gateway.call;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.Rate;
import org.icgw.policy.store.CreditControl;
import org.icgw.policy.store.Reservation;
import org.icgw.policy.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The money of one bridged call, increment by increment (contract, call flow step 12).
 *
 * <p>From acceptance, each billing increment is reserved before it starts, and enough increments
 * ahead that the end of the money is known a warning ahead ({@code lookAhead}). When a reservation
 * fails, the call's money ends where the reserved increments end. At settlement the increments
 * talked are committed (the last partial one rounded up, or dropped for a media timeout) and the
 * rest released, so the charge is exactly increments x price and never more than was reserved.
 *
 * <p>Not thread-safe: owned by the call's thread.
 */
final class CallBilling {
    private static final Logger LOG = LoggerFactory.getLogger(CallBilling.class);
    private final CreditControl credit;
    private final String accountId;
    private final String callId;
    private final Rate rate;
    private final Instant acceptedAt;
    private final long maxIncrements;
    private final Duration lookAhead;
    private final List<Reservation> reserved = new ArrayList<>();
    private boolean exhausted;

    /** What settlement charged. */
    record Settlement(long billedSeconds, long chargeCents) {
    }

    CallBilling(CreditControl credit, String accountId, String callId, Rate rate, Instant acceptedAt,
                Duration maxDuration, Duration warning) {
        this.credit = credit;
        this.accountId = accountId;
        this.callId = callId;
        this.rate = rate;
        this.acceptedAt = acceptedAt;
        this.maxIncrements = rate.incrementsFor(maxDuration.toSeconds());
        this.lookAhead = warning.plusSeconds(rate.incrementSeconds());
    }

    private Duration increment() {
        return Duration.ofSeconds(rate.incrementSeconds());
    }

    /**
     * Reserves increments until those held cover {@code now} plus the look-ahead (the warning
     * time and one increment), so that the money's end is known a warning ahead.
     */
    void topUp(Instant now) {
        Instant horizon = now.plus(lookAhead);
        while (!exhausted && reserved.size() < maxIncrements
                && acceptedAt.plus(increment().multipliedBy(reserved.size())).isBefore(horizon)) {
            Optional<Reservation> r;
            try {
                r = credit.reserve(accountId, callId, rate.centsPerIncrement(), now);
            } catch (StoreException e) {
                // The store is unreachable: the call goes on with the money already held, no further.
                LOG.warn("cannot reserve more for call {}: {}", callId, e.getMessage());
                r = Optional.empty();
            }
            if (r.isEmpty()) {
                exhausted = true;
            } else {
                reserved.add(r.get());
            }
        }
    }

    /** Whether the first increment is held: the call may be bridged. */
    boolean funded() {
        return !reserved.isEmpty();
    }

    /** When the money runs out, once a reservation has failed. */
    Optional<Instant> moneyEnds() {
        return exhausted ? Optional.of(acceptedAt.plus(increment().multipliedBy(reserved.size()))) : Optional.empty();
    }

    /** When the next increment starts after {@code now}: the time to top up again. */
    Instant nextBoundary(Instant now) {
        long done = Duration.between(acceptedAt, now).toMillis() / increment().toMillis();
        return acceptedAt.plus(increment().multipliedBy(done + 1));
    }

    /**
     * What settling at {@code end} charges: the increments talked (the last partial one rounded
     * up, or dropped for a media timeout), never more than were reserved. Pure: writes nothing.
     *
     * @param dropPartial bill only whole increments (a media timeout's last partial one is free)
     */
    Settlement plan(Instant end, boolean dropPartial) {
        long talkedMillis = Math.max(0, Duration.between(acceptedAt, end).toMillis());
        long incMillis = increment().toMillis();
        long used = dropPartial ? talkedMillis / incMillis : Math.ceilDiv(talkedMillis, incMillis);
        used = Math.min(used, reserved.size());
        long charge = 0;
        for (int i = 0; i < used; i++) {
            charge += reserved.get(i).cents();
        }
        return new Settlement(used * rate.incrementSeconds(), charge);
    }

    /**
     * Commits the reservations a settlement uses and releases the rest. Safe to run again after a
     * store failure part-way: a reservation already settled moves no money a second time.
     */
    void apply(Settlement settlement, Instant end) {
        long used = settlement.billedSeconds() / rate.incrementSeconds();
        for (int i = 0; i < reserved.size(); i++) {
            Reservation r = reserved.get(i);
            if (i < used) {
                credit.commit(r, r.cents(), end);
            } else {
                credit.release(r, end);
            }
        }
        reserved.clear();
    }

    /**
     * What {@link #apply} would write, as text for an operator: the account, the reservations
     * committed and released, the charge.
     */
    String describe(Settlement settlement, Instant end) {
        long used = settlement.billedSeconds() / rate.incrementSeconds();
        List<String> commit = new ArrayList<>();
        List<String> release = new ArrayList<>();
        for (int i = 0; i < reserved.size(); i++) {
            Reservation r = reserved.get(i);
            (i < used ? commit : release).add(r.id() + ":" + r.cents());
        }
        return "settlement of call " + callId + " on account " + accountId + " at " + end + ": billed "
                + settlement.billedSeconds() + " s, " + settlement.chargeCents() + " cents; commit reservations (id:cents) "
                + commit + ", release " + release;
    }

    /** Plans and applies the settlement at {@code end} at once. */
    Settlement settle(Instant end, boolean dropPartial) {
        Settlement s = plan(end, dropPartial);
        apply(s, end);
        return s;
    }
}
