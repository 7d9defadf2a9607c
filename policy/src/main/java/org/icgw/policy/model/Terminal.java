package org.icgw.policy.model;

import java.util.Objects;
import java.util.Optional;

/**
 * An inmate phone or tablet that registers over SIP.
 *
 * @param assignedInmateId a tablet issued to one inmate: its PIN entries are checked against that
 *                         inmate only, and wrong PINs count toward that inmate's lockout too
 */
public record Terminal(
        String id,
        String facilityId,
        String sipUsername,
        String sipPassword,
        TerminalKind kind,
        boolean enabled,
        Optional<String> assignedInmateId) {

    public Terminal {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(facilityId, "facility_id");
        Objects.requireNonNull(sipUsername, "sip_username");
        Objects.requireNonNull(sipPassword, "sip_password");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(assignedInmateId, "assigned_inmate_id");
    }
}
