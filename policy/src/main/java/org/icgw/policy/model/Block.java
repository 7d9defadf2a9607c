package org.icgw.policy.model;

import java.time.Instant;
import java.util.Optional;

/**
 * A blocked number.
 *
 * @param facilityId the facility, for scope {@link BlockScope#FACILITY}
 * @param liftedAt   when staff lifted it; a lifted block no longer applies
 */
public record Block(
        long id,
        String number,
        BlockScope scope,
        Optional<String> facilityId,
        BlockOrigin origin,
        Instant createdAt,
        Optional<Instant> liftedAt,
        String note) {

    /** Whether this block stops a call from {@code facility} at {@code at}. */
    public boolean applies(String facility, Instant at) {
        boolean inScope = scope == BlockScope.ALL || facilityId.map(facility::equals).orElse(false);
        return inScope && !createdAt.isAfter(at) && liftedAt.map(at::isBefore).orElse(true);
    }
}
