package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.PolicyStore;

/**
 * Inmates, their PINs and their personal allowed-number (PAN) lists.
 *
 * <p>A PIN is set when the inmate is created or through {@code PUT .../pin}, and is stored only
 * as its salted hash and keyed index (see {@link PinHasher}); no answer ever carries it. A
 * replacement that leaves the PIN out keeps it, unless it moves the inmate to another facility:
 * the index is per facility, so a move needs the PIN again.
 */
final class InmateResource {
    static final Set<String> KEYS = Set.of("id", "facility_id", "name", "name_recording", "pin", "status", "language",
            "calls_per_day", "pan_enforced", "allowed_numbers");
    private static final Set<String> PIN_KEYS = Set.of("pin");
    private static final Set<String> PAN_KEYS = Set.of("allowed_numbers");
    private static final Set<String> NUMBER_KEYS = Set.of("number");

    private InmateResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        PolicyStore store = ctx.store();
        r.add("GET", V1 + "/inmates", AdminScope.STAFF, req -> AdminApi.items(
                store.inmates(req.queryParam("facility_id")), Json::inmate));
        r.add("GET", V1 + "/inmates/{id}", AdminScope.STAFF, req -> AdminResponse.ok(Json.inmate(find(store, req))));
        r.add("PUT", V1 + "/inmates/{id}", AdminScope.STAFF, req -> {
            String id = req.param("id");
            JsonBody b = JsonBody.parse(req.body(), KEYS);
            b.sameId("id", id);
            Optional<Inmate> existing = store.inmate(id);
            String facilityId = b.text("facility_id");
            Optional<String> pin = b.optText("pin");
            String hash;
            String index;
            if (pin.isPresent()) {
                checkPin(store, facilityId, pin.get());
                hash = ctx.pins().hash(pin.get());
                index = ctx.pins().index(facilityId, pin.get());
            } else if (existing.isPresent() && existing.get().facilityId().equals(facilityId)) {
                hash = existing.get().pinHash();
                index = existing.get().pinIndex();
            } else {
                throw new ValidationException("pin", existing.isPresent()
                        ? "is required when the inmate moves to another facility" : "is required for a new inmate");
            }
            Inmate m = new Inmate(id, facilityId, b.text("name"), b.optText("name_recording"), hash, index,
                    b.wire("status", InmateStatus.class, InmateStatus.ACTIVE), b.text("language", "en"),
                    b.integer("calls_per_day", 0), b.bool("pan_enforced", false), b.texts("allowed_numbers"));
            store.saveInmate(m);
            return AdminResponse.json(existing.isPresent() ? 200 : 201, Json.inmate(m)).changed(id);
        });
        r.add("PUT", V1 + "/inmates/{id}/pin", AdminScope.STAFF, req -> {
            Inmate m = find(store, req);
            String pin = JsonBody.parse(req.body(), PIN_KEYS).text("pin");
            checkPin(store, m.facilityId(), pin);
            store.saveInmate(withPin(m, ctx.pins().hash(pin), ctx.pins().index(m.facilityId(), pin)));
            return AdminResponse.noContent().changed(m.id());
        });
        r.add("GET", V1 + "/inmates/{id}/allowed_numbers", AdminScope.STAFF, req -> pan(find(store, req)));
        r.add("PUT", V1 + "/inmates/{id}/allowed_numbers", AdminScope.STAFF, req -> {
            Inmate m = find(store, req);
            List<String> numbers = JsonBody.parse(req.body(), PAN_KEYS).texts("allowed_numbers");
            Inmate updated = withNumbers(m, numbers);
            store.saveInmate(updated);
            return pan(updated).changed(m.id());
        });
        r.add("POST", V1 + "/inmates/{id}/allowed_numbers", AdminScope.STAFF, req -> {
            Inmate m = find(store, req);
            String number = JsonBody.parse(req.body(), NUMBER_KEYS).text("number");
            if (m.allowedNumbers().contains(number)) {
                return pan(m).changed(m.id());
            }
            List<String> numbers = new ArrayList<>(m.allowedNumbers());
            numbers.add(number);
            Inmate updated = withNumbers(m, numbers);
            try {
                store.saveInmate(updated);
            } catch (ValidationException e) {
                throw e.field().startsWith("allowed_numbers") ? new ValidationException("number", e.problem()) : e;
            }
            return AdminResponse.json(201, panJson(updated)).changed(m.id());
        });
        r.add("DELETE", V1 + "/inmates/{id}/allowed_numbers/{number}", AdminScope.STAFF, req -> {
            Inmate m = find(store, req);
            String number = req.param("number");
            if (!m.allowedNumbers().contains(number)) {
                throw AdminApi.notFound("allowed number", number);
            }
            List<String> numbers = new ArrayList<>(m.allowedNumbers());
            numbers.remove(number);
            store.saveInmate(withNumbers(m, numbers));
            return AdminResponse.noContent().changed(m.id());
        });
    }

    private static Inmate find(PolicyStore store, AdminRequest req) {
        return store.inmate(req.param("id")).orElseThrow(() -> AdminApi.notFound("inmate", req.param("id")));
    }

    /** A PIN must be well formed and as long as its facility's PINs. */
    private static void checkPin(PolicyStore store, String facilityId, String pin) {
        if (!PinHasher.wellFormed(pin)) {
            throw new ValidationException("pin", "must be 4 to 12 digits");
        }
        Facility f = store.facility(facilityId)
                .orElseThrow(() -> new ValidationException("facility_id", "no facility '" + facilityId + "'"));
        if (pin.length() != f.pinLength()) {
            throw new ValidationException("pin", "must have " + f.pinLength() + " digits, the pin_length of facility '"
                    + f.id() + "'");
        }
    }

    private static AdminResponse pan(Inmate m) {
        return AdminResponse.ok(panJson(m));
    }

    private static ObjectNode panJson(Inmate m) {
        ObjectNode n = Json.object();
        n.put("inmate_id", m.id());
        n.put("pan_enforced", m.panEnforced());
        n.set("allowed_numbers", Json.strings(m.allowedNumbers()));
        return n;
    }

    private static Inmate withPin(Inmate m, String hash, String index) {
        return new Inmate(m.id(), m.facilityId(), m.name(), m.nameRecording(), hash, index, m.status(), m.language(),
                m.callsPerDay(), m.panEnforced(), m.allowedNumbers());
    }

    private static Inmate withNumbers(Inmate m, List<String> numbers) {
        return new Inmate(m.id(), m.facilityId(), m.name(), m.nameRecording(), m.pinHash(), m.pinIndex(), m.status(),
                m.language(), m.callsPerDay(), m.panEnforced(), numbers);
    }
}
