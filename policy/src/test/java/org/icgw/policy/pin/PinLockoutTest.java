package org.icgw.policy.pin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PinLockoutTest {
    private static final Instant T0 = Instant.parse("2026-11-20T15:00:00Z");

    private static List<Instant> at(long... minutes) {
        return java.util.Arrays.stream(minutes).mapToObj(m -> T0.plus(Duration.ofMinutes(m))).toList();
    }

    @Test
    void fourFailuresDoNotLock() {
        assertThat(PinLockout.lockedUntil(at(0, 1, 2, 3), T0.plusSeconds(240))).isEmpty();
    }

    @Test
    void fiveFailuresWithinFifteenMinutesLockForFifteenMinutesFromTheFifth() {
        List<Instant> failures = at(0, 1, 2, 3, 14);
        assertThat(PinLockout.lockedUntil(failures, T0.plus(Duration.ofMinutes(14))))
                .contains(T0.plus(Duration.ofMinutes(29)));
        assertThat(PinLockout.lockedUntil(failures, T0.plus(Duration.ofMinutes(28).plusSeconds(59))))
                .contains(T0.plus(Duration.ofMinutes(29)));
        assertThat(PinLockout.lockedUntil(failures, T0.plus(Duration.ofMinutes(29)))).isEmpty();
    }

    @Test
    void fiveFailuresSpreadOverMoreThanFifteenMinutesDoNotLock() {
        assertThat(PinLockout.lockedUntil(at(0, 4, 8, 12, 16), T0.plus(Duration.ofMinutes(16)))).isEmpty();
    }

    @Test
    void exactlyFifteenMinutesApartStillLocks() {
        assertThat(PinLockout.lockedUntil(at(0, 5, 10, 14, 15), T0.plus(Duration.ofMinutes(15))))
                .contains(T0.plus(Duration.ofMinutes(30)));
    }

    @Test
    void theLatestQualifyingRunSetsTheEnd() {
        assertThat(PinLockout.lockedUntil(at(0, 1, 2, 3, 4, 5), T0.plus(Duration.ofMinutes(5))))
                .isEqualTo(Optional.of(T0.plus(Duration.ofMinutes(20))));
    }
}
