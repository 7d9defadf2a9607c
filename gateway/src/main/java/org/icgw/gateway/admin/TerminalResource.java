package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.util.Optional;
import java.util.Set;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;

/**
 * Terminals: list (optionally of one facility), read, create or replace. The SIP password is
 * write-only: required when a terminal is created, kept when a replacement leaves it out.
 */
final class TerminalResource {
    static final Set<String> KEYS = Set.of("id", "facility_id", "sip_username", "sip_password", "kind", "enabled",
            "assigned_inmate_id");

    private TerminalResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/terminals", AdminScope.STAFF, req -> AdminApi.items(
                ctx.store().terminals(req.queryParam("facility_id")), Json::terminal));
        r.add("GET", V1 + "/terminals/{id}", AdminScope.STAFF, req -> AdminResponse.ok(Json.terminal(
                ctx.store().terminal(req.param("id")).orElseThrow(() -> AdminApi.notFound("terminal", req.param("id"))))));
        r.add("PUT", V1 + "/terminals/{id}", AdminScope.STAFF, req -> {
            String id = req.param("id");
            JsonBody b = JsonBody.parse(req.body(), KEYS);
            b.sameId("id", id);
            Optional<Terminal> existing = ctx.store().terminal(id);
            String password = b.optText("sip_password").or(() -> existing.map(Terminal::sipPassword))
                    .orElseThrow(() -> new ValidationException("sip_password", "is required for a new terminal"));
            if (password.isBlank()) {
                throw new ValidationException("sip_password", "must not be empty");
            }
            Terminal t = new Terminal(id, b.text("facility_id"), b.text("sip_username"), password,
                    b.wire("kind", TerminalKind.class, TerminalKind.PHONE), b.bool("enabled", true),
                    b.optText("assigned_inmate_id"));
            ctx.store().saveTerminal(t);
            return AdminResponse.json(existing.isPresent() ? 200 : 201, Json.terminal(t)).changed(id);
        });
    }
}
