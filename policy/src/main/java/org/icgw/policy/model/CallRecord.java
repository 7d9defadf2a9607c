package org.icgw.policy.model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The CDR of one call attempt, connected or not.
 *
 * @param calleeAnsweredAt when the trunk answered
 * @param acceptedAt       when the callee accepted; billing starts here
 * @param billedSeconds    seconds billed: whole increments
 * @param denyReason       present exactly when {@code disposition} is {@link Disposition#DENIED}
 * @param repaired         the store first refused this record, and took it once its strings were
 *                         cut to their columns: some text may be shortened
 */
public record CallRecord(
        String callId,
        Optional<String> facilityId,
        Optional<String> terminalId,
        Optional<String> inmateId,
        Optional<String> accountId,
        String dialed,
        Optional<String> normalized,
        Optional<CallClass> callClass,
        Instant startedAt,
        Optional<Instant> calleeAnsweredAt,
        Optional<Instant> acceptedAt,
        Instant endedAt,
        long billedSeconds,
        long chargeCents,
        Disposition disposition,
        Optional<DenyReason> denyReason,
        List<ThreeWayDetection> threeWayDetections,
        Optional<String> recordingFile,
        boolean repaired) {

    public CallRecord {
        Objects.requireNonNull(callId, "call_id");
        Objects.requireNonNull(disposition, "disposition");
        threeWayDetections = List.copyOf(threeWayDetections);
        if ((disposition == Disposition.DENIED) != denyReason.isPresent()) {
            throw new IllegalArgumentException("deny_reason must be present exactly on a denied CDR");
        }
    }

    /** A record as the call wrote it, not repaired. */
    public CallRecord(String callId, Optional<String> facilityId, Optional<String> terminalId,
                      Optional<String> inmateId, Optional<String> accountId, String dialed,
                      Optional<String> normalized, Optional<CallClass> callClass, Instant startedAt,
                      Optional<Instant> calleeAnsweredAt, Optional<Instant> acceptedAt, Instant endedAt,
                      long billedSeconds, long chargeCents, Disposition disposition,
                      Optional<DenyReason> denyReason, List<ThreeWayDetection> threeWayDetections,
                      Optional<String> recordingFile) {
        this(callId, facilityId, terminalId, inmateId, accountId, dialed, normalized, callClass, startedAt,
                calleeAnsweredAt, acceptedAt, endedAt, billedSeconds, chargeCents, disposition, denyReason,
                threeWayDetections, recordingFile, false);
    }

    /** This record flagged as repaired. */
    public CallRecord asRepaired() {
        return new CallRecord(callId, facilityId, terminalId, inmateId, accountId, dialed, normalized, callClass,
                startedAt, calleeAnsweredAt, acceptedAt, endedAt, billedSeconds, chargeCents, disposition, denyReason,
                threeWayDetections, recordingFile, true);
    }
}
