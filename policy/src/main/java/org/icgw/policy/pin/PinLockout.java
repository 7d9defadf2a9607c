package org.icgw.policy.pin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The PIN lockout of the contract: 5 wrong PINs on one terminal or one inmate within 15 minutes
 * lock it for 15 minutes from the fifth. A pure function of the failure times.
 */
public final class PinLockout {
    public static final int FAILURES = 5;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final Duration LOCK = Duration.ofMinutes(15);
    /** How far back failures can still matter: a window and a lock. */
    public static final Duration LOOK_BACK = WINDOW.plus(LOCK);

    private PinLockout() {
    }

    /**
     * Until when the subject is locked at {@code now}, given its failure times (oldest first).
     *
     * @return empty when not locked
     */
    public static Optional<Instant> lockedUntil(List<Instant> failures, Instant now) {
        Instant until = null;
        for (int i = FAILURES - 1; i < failures.size(); i++) {
            Instant last = failures.get(i);
            Instant first = failures.get(i - (FAILURES - 1));
            if (Duration.between(first, last).compareTo(WINDOW) <= 0) {
                Instant candidate = last.plus(LOCK);
                if (until == null || candidate.isAfter(until)) {
                    until = candidate;
                }
            }
        }
        return until != null && now.isBefore(until) ? Optional.of(until) : Optional.empty();
    }
}
