package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import org.icgw.policy.StrictObject;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.ThreeWayAction;

/** Facilities: list, read, create or replace ({@code PUT}, defaults as in the seed file). */
final class FacilityResource {
    static final Set<String> KEYS = Set.of("id", "name", "name_prompt", "time_zone", "calling_hours",
            "max_call_minutes", "announcement_interval_seconds", "ani", "rate_tier", "digit_map", "lockdown", "region",
            "state", "local_prefixes", "access_code", "pin_length", "three_way_action", "international_allowed");
    private static final Set<String> DIGIT_KEYS = Set.of("accept", "refuse", "block", "rate");

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
        ZoneId zone;
        try {
            zone = ZoneId.of(b.text("time_zone"));
        } catch (DateTimeException e) {
            throw new ValidationException(b.path("time_zone"), "not a time zone such as America/Chicago");
        }
        CallingHours hours;
        try {
            hours = b.has("calling_hours") ? CallingHours.parse(b.text("calling_hours")) : CallingHours.ALWAYS;
        } catch (IllegalArgumentException e) {
            throw new ValidationException(b.path("calling_hours"), e.getMessage());
        }
        DigitMap digits = DigitMap.DEFAULT;
        StrictObject d = b.object("digit_map", DIGIT_KEYS).orElse(null);
        if (d != null) {
            try {
                digits = new DigitMap(d.key("accept", DigitMap.DEFAULT.accept()), d.key("refuse", DigitMap.DEFAULT.refuse()),
                        d.key("block", DigitMap.DEFAULT.block()), d.key("rate", DigitMap.DEFAULT.rate()));
            } catch (IllegalArgumentException e) {
                throw new ValidationException(b.path("digit_map"), e.getMessage());
            }
        }
        return new Facility(id, b.text("name"), b.optText("name_prompt"), zone, hours,
                b.integer("max_call_minutes", Facility.DEFAULT_MAX_CALL_MINUTES),
                b.integer("announcement_interval_seconds", Facility.DEFAULT_ANNOUNCEMENT_SECONDS), b.text("ani"),
                b.wire("rate_tier", RateTier.class, null), digits, b.bool("lockdown", false), b.text("region", "US"),
                b.text("state"), b.texts("local_prefixes"), b.text("access_code", Facility.DEFAULT_ACCESS_CODE),
                b.integer("pin_length", Facility.DEFAULT_PIN_LENGTH),
                b.wire("three_way_action", ThreeWayAction.class, ThreeWayAction.DISCONNECT),
                b.bool("international_allowed", false));
    }
}
