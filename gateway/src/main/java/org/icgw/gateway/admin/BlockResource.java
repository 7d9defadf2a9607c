package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import java.util.Set;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;

/**
 * Blocked numbers: list (in force, or all with {@code include_lifted=true}), add (origin
 * {@code staff}), lift. Staff lift any block, the callee's own included (contract).
 */
final class BlockResource {
    static final Set<String> KEYS = Set.of("number", "scope", "facility_id", "note");

    private BlockResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/blocks", AdminScope.STAFF, req -> AdminApi.items(
                ctx.store().blocks(req.boolParam("include_lifted", false)), Json::block));
        r.add("POST", V1 + "/blocks", AdminScope.STAFF, req -> {
            JsonBody b = JsonBody.parse(req.body(), KEYS);
            Block block = ctx.store().addBlock(b.text("number"), b.wire("scope", BlockScope.class, null),
                    b.optText("facility_id"), BlockOrigin.STAFF, ctx.clock().instant(), b.text("note", ""));
            return AdminResponse.json(201, Json.block(block)).changed(String.valueOf(block.id()));
        });
        r.add("DELETE", V1 + "/blocks/{id}", AdminScope.STAFF, req -> {
            long id;
            try {
                id = Long.parseLong(req.param("id"));
            } catch (NumberFormatException e) {
                throw new ValidationException("id", "a block id is a whole number, got '" + req.param("id") + "'");
            }
            if (!ctx.store().liftBlock(id, ctx.clock().instant())) {
                throw AdminApi.notFound("block in force with id", req.param("id"));
            }
            return AdminResponse.noContent().changed(req.param("id"));
        });
    }
}
