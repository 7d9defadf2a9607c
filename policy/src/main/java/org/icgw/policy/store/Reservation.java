package org.icgw.policy.store;

/** Money held for a call in progress: {@code cents} taken from what the account may spend. */
public record Reservation(long id, String accountId, String callId, long cents) {
}
