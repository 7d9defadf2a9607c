package org.icgw.policy.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A filter over call records: every present field must match; newest first, paged.
 *
 * @param number the dialed or normalised number
 */
public record CdrQuery(Optional<String> inmateId, Optional<String> number, Optional<Instant> from,
                       Optional<Instant> to, int offset, int limit) {
    public static CdrQuery all() {
        return new CdrQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 100);
    }
}
