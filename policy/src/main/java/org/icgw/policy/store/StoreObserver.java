package org.icgw.policy.store;

/**
 * Hears how long each database round of the store took, for the operators' metrics (the policy
 * module knows no metrics library; the gateway binds this to one).
 */
@FunctionalInterface
public interface StoreObserver {

    /**
     * One read or write transaction.
     *
     * @param operation {@code read} or {@code write}
     * @param nanos     how long it took, connection checkout included
     * @param failed    whether it ended with an error (the store unreachable, a constraint)
     */
    void observe(String operation, long nanos, boolean failed);

    /** Hears nothing. */
    StoreObserver NONE = (operation, nanos, failed) -> { };
}
