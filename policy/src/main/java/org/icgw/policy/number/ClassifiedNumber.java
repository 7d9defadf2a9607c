package org.icgw.policy.number;

import java.util.Objects;
import java.util.Optional;
import org.icgw.policy.model.CallClass;

/**
 * The outcome of classifying one dialed number.
 *
 * @param dialed the digits as received
 * @param kind what the number is
 * @param e164 the normalised number ({@code "+15735550100"}); present unless {@link NumberKind#INVALID}
 * @param callClass the tariff class; present for {@link NumberKind#GEOGRAPHIC} and
 *     {@link NumberKind#INTERNATIONAL}, for {@link NumberKind#TOLL_FREE} and
 *     {@link NumberKind#PREMIUM} only when known (foreign ones are international, a domestic
 *     NXX-976 number has its area code's class, non-geographic domestic ones have none), never
 *     for {@link NumberKind#INVALID}
 */
public record ClassifiedNumber(
        String dialed, NumberKind kind, Optional<String> e164, Optional<CallClass> callClass) {

    /** Checks that the fields agree with the kind as documented above. */
    public ClassifiedNumber {
        Objects.requireNonNull(dialed, "dialed");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(e164, "e164");
        Objects.requireNonNull(callClass, "callClass");
        boolean invalid = kind == NumberKind.INVALID;
        if (e164.isPresent() == invalid) {
            throw new IllegalArgumentException("e164 must be present exactly when kind is not INVALID");
        }
        if (invalid && callClass.isPresent()) {
            throw new IllegalArgumentException("an INVALID number has no call class");
        }
        if ((kind == NumberKind.GEOGRAPHIC || kind == NumberKind.INTERNATIONAL) && callClass.isEmpty()) {
            throw new IllegalArgumentException(kind + " needs a call class");
        }
        if (kind == NumberKind.INTERNATIONAL && callClass.get() != CallClass.INTERNATIONAL) {
            throw new IllegalArgumentException("an INTERNATIONAL number has call class INTERNATIONAL");
        }
    }

    /** An {@link NumberKind#INVALID} result for {@code dialed}. */
    public static ClassifiedNumber invalid(String dialed) {
        return new ClassifiedNumber(dialed, NumberKind.INVALID, Optional.empty(), Optional.empty());
    }

    /** Whether the number can be called at all (anything but {@link NumberKind#INVALID}). */
    public boolean isValid() {
        return kind != NumberKind.INVALID;
    }
}
