package org.icgw.policy.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A person who may place calls.
 *
 * @param pinHash       the PIN's salted slow hash (see {@code org.icgw.policy.pin.PinHasher})
 * @param pinIndex      keyed digest of the PIN used to find the inmate from the digits alone
 * @param callsPerDay   accepted calls allowed per local day; 0 means no limit
 * @param panEnforced   whether only numbers on {@code allowedNumbers} may be called
 * @param allowedNumbers the personal allowed-number (PAN) list, E.164
 */
public record Inmate(
        String id,
        String facilityId,
        String name,
        Optional<String> nameRecording,
        String pinHash,
        String pinIndex,
        InmateStatus status,
        String language,
        int callsPerDay,
        boolean panEnforced,
        List<String> allowedNumbers) {

    public Inmate {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(facilityId, "facility_id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(nameRecording, "name_recording");
        Objects.requireNonNull(pinHash, "pin");
        Objects.requireNonNull(pinIndex, "pin");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(language, "language");
        allowedNumbers = List.copyOf(allowedNumbers);
    }
}
