package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.ThreeWayDetection;
import org.icgw.policy.store.CdrQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Call records and their recordings.
 *
 * <p>{@code GET /cdrs} filters by {@code inmate_id}, {@code number} (dialed or normalised),
 * {@code from} (inclusive) and {@code to} (exclusive), ISO-8601 instants, newest first, paged by
 * {@code offset} and {@code limit} (1-1000, default 100); {@code GET /cdrs/export.csv} takes the
 * same filters and answers RFC 4180 CSV. {@code GET /recordings/{call_id}} (investigators only)
 * answers the WAV file the CDR names.
 */
final class CallRecordResource {
    private static final Logger LOG = LoggerFactory.getLogger(CallRecordResource.class);
    /** The columns of the CSV export, in order. */
    static final List<String> CSV_COLUMNS = List.of("call_id", "facility_id", "terminal_id", "inmate_id", "account_id",
            "dialed", "normalized", "call_class", "started_at", "callee_answered_at", "accepted_at", "ended_at",
            "billed_seconds", "charge_cents", "disposition", "deny_reason", "three_way_signals", "recording_file");
    private static final int MAX_LIMIT = 1000;

    private CallRecordResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/cdrs", AdminScope.STAFF, req -> {
            CdrQuery q = query(req);
            List<CallRecord> page = ctx.store().callRecords(q);
            ObjectNode n = Json.object();
            n.set("items", Json.array(page, Json::callRecord));
            n.put("offset", q.offset());
            n.put("limit", q.limit());
            if (page.size() == q.limit()) {
                n.put("next_offset", q.offset() + q.limit());
            } else {
                n.putNull("next_offset");
            }
            return AdminResponse.ok(n);
        });
        r.add("GET", V1 + "/cdrs/export.csv", AdminScope.STAFF, req -> {
            List<CallRecord> page = ctx.store().callRecords(query(req));
            StringBuilder sb = new StringBuilder(String.join(",", CSV_COLUMNS)).append("\r\n");
            for (CallRecord c : page) {
                sb.append(csvRow(c)).append("\r\n");
            }
            return AdminResponse.text(200, "text/csv; charset=utf-8", sb.toString())
                    .withHeader("Content-Disposition", "attachment; filename=\"cdrs.csv\"");
        });
        r.add("GET", V1 + "/cdrs/{call_id}", AdminScope.STAFF, req -> AdminResponse.ok(Json.callRecord(
                ctx.store().callRecord(req.param("call_id"))
                        .orElseThrow(() -> AdminApi.notFound("call record", req.param("call_id"))))));
        r.add("GET", V1 + "/recordings/{call_id}", AdminScope.INVESTIGATOR, req -> {
            String id = req.param("call_id");
            CallRecord c = ctx.store().callRecord(id).orElseThrow(() -> AdminApi.notFound("call record", id));
            Path file = Path.of(c.recordingFile().orElseThrow(() -> AdminApi.notFound("recording of call", id)));
            byte[] wav;
            try {
                wav = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw AdminApi.notFound("recording file of call", id);
            } catch (IOException e) {
                LOG.error("recording {} of call {} unreadable", file, id, e);
                throw new ProblemException(Problem.internal());
            }
            return new AdminResponse(200, "audio/wav", wav,
                    Map.of("Content-Disposition", "attachment; filename=\"" + id.replaceAll("[^A-Za-z0-9._-]", "_")
                            + ".wav\""), Optional.empty());
        });
    }

    private static CdrQuery query(AdminRequest req) {
        return new CdrQuery(req.queryParam("inmate_id"), req.queryParam("number"), req.instantParam("from"),
                req.instantParam("to"), req.intParam("offset", 0, 0, Integer.MAX_VALUE),
                req.intParam("limit", 100, 1, MAX_LIMIT));
    }

    private static String csvRow(CallRecord c) {
        return String.join(",", List.of(csv(c.callId()), csv(c.facilityId()), csv(c.terminalId()), csv(c.inmateId()),
                csv(c.accountId()), csv(c.dialed()), csv(c.normalized()), csv(c.callClass().map(x -> x.wireName())),
                csv(c.startedAt().toString()), time(c.calleeAnsweredAt()), time(c.acceptedAt()),
                csv(c.endedAt().toString()), String.valueOf(c.billedSeconds()), String.valueOf(c.chargeCents()),
                csv(c.disposition().wireName()), csv(c.denyReason().map(d -> d.wireName())),
                csv(c.threeWayDetections().stream().map(ThreeWayDetection::signal).collect(Collectors.joining(";"))),
                csv(c.recordingFile())));
    }

    private static String time(Optional<Instant> t) {
        return csv(t.map(Instant::toString));
    }

    private static String csv(Optional<String> v) {
        return v.map(CallRecordResource::csv).orElse("");
    }

    /** RFC 4180 section 2: a field with a comma, quote or line break is quoted, quotes doubled. */
    static String csv(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
