package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.util.Set;
import org.icgw.policy.model.PrivilegedNumber;

/**
 * Privileged numbers (attorneys and the like): list, and add or relabel ({@code POST}; one entry
 * per number and facility, or per number for all facilities when {@code facility_id} is absent).
 */
final class PrivilegedNumberResource {
    static final Set<String> KEYS = Set.of("number", "facility_id", "label");

    private PrivilegedNumberResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/privileged_numbers", AdminScope.STAFF, req -> AdminApi.items(
                ctx.store().privilegedNumbers(), Json::privileged));
        r.add("POST", V1 + "/privileged_numbers", AdminScope.STAFF, req -> {
            JsonBody b = JsonBody.parse(req.body(), KEYS);
            PrivilegedNumber p = new PrivilegedNumber(b.text("number"), b.optText("facility_id"), b.text("label"));
            ctx.store().savePrivilegedNumber(p);
            return AdminResponse.ok(Json.privileged(p)).changed(p.number());
        });
    }
}
