package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.util.Set;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Wire;

/**
 * A facility's rates, one per call class: list, and set ({@code PUT}); the store refuses a price
 * above the facility tier's cap on the day it is set.
 */
final class RateResource {
    static final Set<String> KEYS = Set.of("facility_id", "call_class", "cents_per_minute", "increment_seconds");

    private RateResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/facilities/{id}/rates", AdminScope.STAFF, req -> {
            String id = req.param("id");
            ctx.store().facility(id).orElseThrow(() -> AdminApi.notFound("facility", id));
            return AdminApi.items(ctx.store().rates(id), Json::rate);
        });
        r.add("PUT", V1 + "/facilities/{id}/rates/{call_class}", AdminScope.STAFF, req -> {
            String id = req.param("id");
            CallClass cc;
            try {
                cc = Wire.parse(CallClass.class, req.param("call_class"));
            } catch (IllegalArgumentException e) {
                throw new ValidationException("call_class", e.getMessage());
            }
            JsonBody b = JsonBody.parse(req.body(), KEYS);
            b.sameId("facility_id", id);
            b.sameId("call_class", cc.wireName());
            Rate rate = new Rate(id, cc, b.integer("cents_per_minute", null),
                    b.integer("increment_seconds", Rate.DEFAULT_INCREMENT_SECONDS));
            ctx.store().saveRate(rate, ctx.clock().instant());
            return AdminResponse.ok(Json.rate(rate)).changed(id + "/" + cc.wireName());
        });
    }
}
