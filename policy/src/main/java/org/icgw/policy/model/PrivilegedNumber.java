package org.icgw.policy.model;

import java.util.Optional;

/**
 * An attorney's or similar number: never recorded, three-way detection only logged.
 *
 * @param facilityId the facility it is privileged for; empty for all facilities
 */
public record PrivilegedNumber(String number, Optional<String> facilityId, String label) {
}
