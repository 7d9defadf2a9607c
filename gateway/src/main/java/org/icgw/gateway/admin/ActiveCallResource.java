package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.icgw.gateway.call.Call;
import org.icgw.policy.model.Inmate;

/**
 * Calls in progress: the list, with the live talk time since the callee accepted and the charge
 * so far, and {@code DELETE} to cut one off (investigators only). The cut-off is handed to the
 * call's own thread, which ends it as {@code investigator_disconnect} once bridged (before the
 * callee accepted, as {@code caller_abandoned}); hence 202.
 */
final class ActiveCallResource {

    private ActiveCallResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/calls", AdminScope.STAFF, req -> {
            Instant now = ctx.clock().instant();
            List<Call> calls = ctx.calls().active().stream().sorted(Comparator.comparing(Call::startedAt)).toList();
            return AdminApi.items(calls, c -> view(c, now));
        });
        r.add("DELETE", V1 + "/calls/{id}", AdminScope.INVESTIGATOR, req -> {
            String id = req.param("id");
            if (!ctx.calls().cutOff(id, req.actor())) {
                throw AdminApi.notFound("call in progress", id);
            }
            ObjectNode n = Json.object();
            n.put("call_id", id);
            n.put("status", "cutting_off");
            return AdminResponse.json(202, n).changed(id);
        });
    }

    static ObjectNode view(Call c, Instant now) {
        ObjectNode n = Json.object();
        n.put("call_id", c.id());
        n.put("state", c.state().name().toLowerCase(Locale.ROOT));
        if (c.inmate().isPresent()) {
            Inmate m = c.inmate().get();
            n.put("inmate_id", m.id());
            n.put("facility_id", m.facilityId());
        } else {
            n.putNull("inmate_id");
            n.putNull("facility_id");
        }
        n.put("dialed", c.dialed());
        if (c.number().isPresent()) {
            n.put("number", c.number().get());
        } else {
            n.putNull("number");
        }
        n.put("started_at", c.startedAt().toString());
        if (c.acceptedAt().isPresent()) {
            n.put("accepted_at", c.acceptedAt().get().toString());
            n.put("duration_seconds", Math.max(0, Duration.between(c.acceptedAt().get(), now).toSeconds()));
        } else {
            n.putNull("accepted_at");
            n.put("duration_seconds", 0);
        }
        n.put("charge_cents", c.chargeSoFarCents(now));
        return n;
    }
}
