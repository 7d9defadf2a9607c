package org.icgw.policy.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who pays, in integer cents.
 *
 * @param balanceCents     prepaid and debit: the funds; direct bill: what is owed
 * @param creditLimitCents direct bill: the most that may be owed; otherwise 0
 * @param reservedCents    money held by calls in progress, not yet spent
 * @param inmateId         debit: the inmate whose funds these are
 * @param billingNumbers   prepaid and direct bill: the E.164 numbers whose calls it pays for
 */
public record Account(
        String id,
        AccountType type,
        String ownerName,
        Optional<String> inmateId,
        List<String> billingNumbers,
        long balanceCents,
        long creditLimitCents,
        long reservedCents) {

    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(ownerName, "owner_name");
        Objects.requireNonNull(inmateId, "inmate_id");
        billingNumbers = List.copyOf(billingNumbers);
    }

    /** Cents that a new reservation may take now. */
    public long availableCents() {
        return type == AccountType.DIRECT_BILL
                ? creditLimitCents - balanceCents - reservedCents
                : balanceCents - reservedCents;
    }
}
