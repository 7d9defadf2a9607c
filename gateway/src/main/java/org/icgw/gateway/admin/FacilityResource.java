package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.util.Set;
import org.icgw.policy.model.Facility;
import org.icgw.policy.store.SeedLoader;

/** Facilities: list, read, create or replace ({@code PUT}, defaults as in the seed file). */
final class FacilityResource {
    static final Set<String> KEYS = SeedLoader.FACILITY_KEYS;

    private FacilityResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/facilities", AdminScope.STAFF, req -> AdminApi.items(ctx.store().facilities(), Json::facility));
        r.add("GET", V1 + "/facilities/{id}", AdminScope.STAFF, req -> AdminResponse.ok(Json.facility(
                ctx.store().facility(req.param("id")).orElseThrow(() -> AdminApi.notFound("facility", req.param("id"))))));
        r.add("PUT", V1 + "/facilities/{id}", AdminScope.STAFF, req -> {
            String id = req.param("id");
            Facility f = parse(JsonBody.parse(req.body(), KEYS), id);
            boolean exists = ctx.store().facility(id).isPresent();
            ctx.store().saveFacility(f);
            return AdminResponse.json(exists ? 200 : 201, Json.facility(f)).changed(id);
        });
    }

    static Facility parse(JsonBody b, String id) {
        b.sameId("id", id);
        return SeedLoader.readFacility(b, id);
    }
}
