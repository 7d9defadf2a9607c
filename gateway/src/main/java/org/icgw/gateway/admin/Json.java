package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AuditEntry;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Deposit;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.ThreeWayDetection;
import org.icgw.policy.model.Wire;

/**
 * The JSON the admin API answers with: snake_case members as in the seed file, enums by their
 * wire names, times as ISO-8601 instants, money in integer cents, absent optionals as {@code null}.
 * Secrets are never written: an inmate's PIN (hash and index) and a terminal's SIP password.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static <T> ArrayNode array(Collection<T> items, Function<T, ObjectNode> view) {
        ArrayNode a = MAPPER.createArrayNode();
        items.forEach(i -> a.add(view.apply(i)));
        return a;
    }

    static ArrayNode strings(Collection<String> items) {
        ArrayNode a = MAPPER.createArrayNode();
        items.forEach(a::add);
        return a;
    }

    private static void put(ObjectNode n, String key, Optional<String> v) {
        if (v.isPresent()) {
            n.put(key, v.get());
        } else {
            n.putNull(key);
        }
    }

    private static void putTime(ObjectNode n, String key, Optional<Instant> v) {
        put(n, key, v.map(Instant::toString));
    }

    static ObjectNode facility(Facility f) {
        ObjectNode n = object();
        n.put("id", f.id());
        n.put("name", f.name());
        put(n, "name_prompt", f.namePrompt());
        n.put("time_zone", f.timeZone().getId());
        n.put("calling_hours", f.callingHours().toString());
        n.put("max_call_minutes", f.maxCallMinutes());
        n.put("announcement_interval_seconds", f.announcementIntervalSeconds());
        n.put("ani", f.ani());
        n.put("rate_tier", Wire.name(f.rateTier()));
        ObjectNode d = n.putObject("digit_map");
        d.put("accept", String.valueOf(f.digitMap().accept()));
        d.put("refuse", String.valueOf(f.digitMap().refuse()));
        d.put("block", String.valueOf(f.digitMap().block()));
        d.put("rate", String.valueOf(f.digitMap().rate()));
        n.put("lockdown", f.lockdown());
        n.put("region", f.region());
        n.put("state", f.state());
        n.set("local_prefixes", strings(f.localPrefixes()));
        n.put("access_code", f.accessCode());
        n.put("pin_length", f.pinLength());
        n.put("three_way_action", Wire.name(f.threeWayAction()));
        n.put("international_allowed", f.internationalAllowed());
        return n;
    }

    static ObjectNode terminal(Terminal t) {
        ObjectNode n = object();
        n.put("id", t.id());
        n.put("facility_id", t.facilityId());
        n.put("sip_username", t.sipUsername());
        n.put("kind", Wire.name(t.kind()));
        n.put("enabled", t.enabled());
        put(n, "assigned_inmate_id", t.assignedInmateId());
        return n;
    }

    static ObjectNode inmate(Inmate m) {
        ObjectNode n = object();
        n.put("id", m.id());
        n.put("facility_id", m.facilityId());
        n.put("name", m.name());
        put(n, "name_recording", m.nameRecording());
        n.put("status", m.status().wireName());
        n.put("language", m.language());
        n.put("calls_per_day", m.callsPerDay());
        n.put("pan_enforced", m.panEnforced());
        n.set("allowed_numbers", strings(m.allowedNumbers()));
        return n;
    }

    static ObjectNode account(Account a) {
        ObjectNode n = object();
        n.put("id", a.id());
        n.put("type", Wire.name(a.type()));
        n.put("owner_name", a.ownerName());
        put(n, "inmate_id", a.inmateId());
        n.set("billing_numbers", strings(a.billingNumbers()));
        n.put("balance_cents", a.balanceCents());
        n.put("credit_limit_cents", a.creditLimitCents());
        n.put("reserved_cents", a.reservedCents());
        n.put("available_cents", a.availableCents());
        return n;
    }

    static ObjectNode deposit(Deposit d) {
        ObjectNode n = object();
        n.put("id", d.id());
        n.put("account_id", d.accountId());
        n.put("amount_cents", d.amountCents());
        n.put("at", d.at().toString());
        n.put("reference", d.reference());
        return n;
    }

    static ObjectNode block(Block b) {
        ObjectNode n = object();
        n.put("id", b.id());
        n.put("number", b.number());
        n.put("scope", Wire.name(b.scope()));
        put(n, "facility_id", b.facilityId());
        n.put("origin", Wire.name(b.origin()));
        n.put("created_at", b.createdAt().toString());
        putTime(n, "lifted_at", b.liftedAt());
        n.put("note", b.note());
        return n;
    }

    static ObjectNode privileged(PrivilegedNumber p) {
        ObjectNode n = object();
        n.put("number", p.number());
        put(n, "facility_id", p.facilityId());
        n.put("label", p.label());
        return n;
    }

    static ObjectNode rate(Rate r) {
        ObjectNode n = object();
        n.put("facility_id", r.facilityId());
        n.put("call_class", r.callClass().wireName());
        n.put("cents_per_minute", r.centsPerMinute());
        n.put("increment_seconds", r.incrementSeconds());
        return n;
    }

    static ObjectNode callRecord(CallRecord r) {
        ObjectNode n = object();
        n.put("call_id", r.callId());
        put(n, "facility_id", r.facilityId());
        put(n, "terminal_id", r.terminalId());
        put(n, "inmate_id", r.inmateId());
        put(n, "account_id", r.accountId());
        n.put("dialed", r.dialed());
        put(n, "normalized", r.normalized());
        put(n, "call_class", r.callClass().map(c -> c.wireName()));
        n.put("started_at", r.startedAt().toString());
        putTime(n, "callee_answered_at", r.calleeAnsweredAt());
        putTime(n, "accepted_at", r.acceptedAt());
        n.put("ended_at", r.endedAt().toString());
        n.put("billed_seconds", r.billedSeconds());
        n.put("charge_cents", r.chargeCents());
        n.put("disposition", r.disposition().wireName());
        put(n, "deny_reason", r.denyReason().map(d -> d.wireName()));
        ArrayNode d = n.putArray("three_way_detections");
        for (ThreeWayDetection t : r.threeWayDetections()) {
            ObjectNode x = d.addObject();
            x.put("signal", t.signal());
            x.put("at", t.at().toString());
            x.put("action", Wire.name(t.action()));
        }
        put(n, "recording_file", r.recordingFile());
        n.put("repaired", r.repaired());
        return n;
    }

    static ObjectNode audit(AuditEntry e) {
        ObjectNode n = object();
        n.put("id", e.id());
        n.put("at", e.at().toString());
        n.put("actor", e.actor());
        n.put("method", e.method());
        n.put("path", e.path());
        put(n, "entity_id", e.entityId());
        return n;
    }
}
