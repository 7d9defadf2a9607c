package org.icgw.policy.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Money for calls in progress, reserved before it is spent (contract, call flow step 12).
 *
 * <p>Every operation is one atomic database transaction, so that a prepaid or debit balance never
 * goes below zero and a direct-bill account never owes more than its limit, however many calls
 * and gateway processes share an account.
 */
public interface CreditControl {

    /**
     * Holds {@code cents} on the account for a call, if the account can spare them.
     *
     * @return empty when the account lacks the money (or does not exist)
     */
    Optional<Reservation> reserve(String accountId, String callId, long cents, Instant at);

    /**
     * Spends {@code usedCents} (at most the reservation) and returns the rest of it.
     *
     * @throws IllegalArgumentException when {@code usedCents} is negative or above the reservation
     */
    void commit(Reservation reservation, long usedCents, Instant at);

    /** Returns the whole reservation unspent. */
    void release(Reservation reservation, Instant at);

    /**
     * Returns every reservation left by an earlier run of this gateway process (same node id),
     * as at start-up after a crash.
     *
     * @return how many were returned
     */
    int releaseAbandoned();
}
