package org.icgw.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.Rate;
import org.icgw.policy.store.CreditControl;
import org.icgw.policy.store.Reservation;
import org.junit.jupiter.api.Test;

class CallBillingTest {
    static final Instant T0 = Instant.parse("2026-11-20T18:00:00Z");

    /** An account with a balance, reserving and spending as the store does. */
    static final class Wallet implements CreditControl {
        long balance;
        long reserved;
        long spent;
        final List<Long> commits = new ArrayList<>();
        long nextId;

        Wallet(long balance) {
            this.balance = balance;
        }

        @Override
        public Optional<Reservation> reserve(String accountId, String callId, long cents, Instant at) {
            if (balance - reserved < cents) {
                return Optional.empty();
            }
            reserved += cents;
            return Optional.of(new Reservation(++nextId, accountId, callId, cents));
        }

        @Override
        public void commit(Reservation r, long usedCents, Instant at) {
            reserved -= r.cents();
            balance -= usedCents;
            spent += usedCents;
            commits.add(usedCents);
        }

        @Override
        public void release(Reservation r, Instant at) {
            reserved -= r.cents();
        }

        @Override
        public int releaseAbandoned() {
            return 0;
        }
    }

    static CallBilling billing(Wallet w, int centsPerMinute, int increment, int maxMinutes) {
        return new CallBilling(w, "a1", "c1", new Rate("f1", CallClass.LOCAL, centsPerMinute, increment), T0,
                Duration.ofMinutes(maxMinutes), Duration.ofSeconds(60));
    }

    @Test
    void moneyForTwoIncrementsEndsTheCallAfterExactlyTwo() {
        Wallet w = new Wallet(20);
        CallBilling b = billing(w, 10, 60, 15);
        b.topUp(T0);
        assertThat(b.funded()).isTrue();
        assertThat(b.moneyEnds()).isEmpty();
        b.topUp(T0.plusSeconds(60));
        assertThat(b.moneyEnds()).contains(T0.plusSeconds(120));
        CallBilling.Settlement s = b.settle(T0.plusSeconds(120).plusMillis(30), false);
        assertThat(s).isEqualTo(new CallBilling.Settlement(120, 20));
        assertThat(w.balance).isZero();
        assertThat(w.reserved).isZero();
    }

    @Test
    void reservesOnlyAWarningAheadAndSettlesPartialIncrementsRoundedUp() {
        Wallet w = new Wallet(1_000);
        CallBilling b = billing(w, 6, 60, 15);
        b.topUp(T0);
        assertThat(w.reserved).isEqualTo(12);
        assertThat(b.moneyEnds()).isEmpty();
        assertThat(b.nextBoundary(T0.plusSeconds(59))).isEqualTo(T0.plusSeconds(60));
        b.topUp(T0.plusSeconds(60));
        assertThat(w.reserved).isEqualTo(18);
        CallBilling.Settlement s = b.settle(T0.plusSeconds(61), false);
        assertThat(s).isEqualTo(new CallBilling.Settlement(120, 12));
        assertThat(w.balance).isEqualTo(988);
        assertThat(w.reserved).isZero();
    }

    @Test
    void aMediaTimeoutDoesNotBillTheLastPartialIncrement() {
        Wallet w = new Wallet(1_000);
        CallBilling b = billing(w, 6, 60, 15);
        b.topUp(T0);
        b.topUp(T0.plusSeconds(60));
        assertThat(b.settle(T0.plusSeconds(95), true)).isEqualTo(new CallBilling.Settlement(60, 6));
        assertThat(w.balance).isEqualTo(994);
    }

    @Test
    void theTimeLimitCapsWhatIsReserved() {
        Wallet w = new Wallet(1_000);
        CallBilling b = billing(w, 6, 60, 1);
        b.topUp(T0);
        assertThat(w.reserved).isEqualTo(6);
        assertThat(b.settle(T0.plusSeconds(61), false)).isEqualTo(new CallBilling.Settlement(60, 6));
    }

    @Test
    void settlingTwiceChargesOnce() {
        Wallet w = new Wallet(100);
        CallBilling b = billing(w, 10, 60, 15);
        b.topUp(T0);
        b.settle(T0.plusSeconds(30), false);
        assertThat(b.settle(T0.plusSeconds(90), false)).isEqualTo(new CallBilling.Settlement(0, 0));
        assertThat(w.spent).isEqualTo(10);
    }

    @Test
    void anEmptyAccountIsNotFunded() {
        Wallet w = new Wallet(5);
        CallBilling b = billing(w, 10, 60, 15);
        b.topUp(T0);
        assertThat(b.funded()).isFalse();
        assertThat(b.moneyEnds()).contains(T0);
    }
}
