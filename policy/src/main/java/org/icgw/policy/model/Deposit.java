package org.icgw.policy.model;

import java.time.Instant;

/** Money paid into a prepaid or debit account: one row and one balance change. */
public record Deposit(long id, String accountId, long amountCents, Instant at, String reference) {
    /** The most one deposit may carry: $50.00. */
    public static final long MAX_CENTS = 5_000;
}
