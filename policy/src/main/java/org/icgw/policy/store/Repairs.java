package org.icgw.policy.store;

import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.ThreeWayDetection;

/**
 * Repairs of records the store refused for their data: every string cut to its {@link Column},
 * the record flagged as repaired. What is not text (times, money, the disposition) is never
 * changed: a record wrong there cannot be repaired, only set aside.
 */
public final class Repairs {
    private Repairs() {
    }

    /**
     * The CDR with every string fitted to its column and {@code repaired} set; empty when every
     * string already fits, so that a repair would change nothing.
     */
    public static Optional<CallRecord> callRecord(CallRecord r) {
        List<ThreeWayDetection> detections = r.threeWayDetections().stream()
                .map(d -> new ThreeWayDetection(Column.THREE_WAY_DETECTIONS_SIGNAL.fit(d.signal()), d.at(), d.action()))
                .toList();
        CallRecord fitted = new CallRecord(Column.CALL_RECORDS_CALL_ID.fit(r.callId()),
                Column.CALL_RECORDS_FACILITY_ID.fit(r.facilityId()), Column.CALL_RECORDS_TERMINAL_ID.fit(r.terminalId()),
                Column.CALL_RECORDS_INMATE_ID.fit(r.inmateId()), Column.CALL_RECORDS_ACCOUNT_ID.fit(r.accountId()),
                Column.CALL_RECORDS_DIALED.fit(r.dialed()), Column.CALL_RECORDS_NORMALIZED.fit(r.normalized()),
                r.callClass(), r.startedAt(), r.calleeAnsweredAt(), r.acceptedAt(), r.endedAt(), r.billedSeconds(),
                r.chargeCents(), r.disposition(), r.denyReason(), detections,
                Column.CALL_RECORDS_RECORDING_FILE.fit(r.recordingFile()), r.repaired());
        return fitted.equals(r) ? Optional.empty() : Optional.of(fitted.asRepaired());
    }
}
