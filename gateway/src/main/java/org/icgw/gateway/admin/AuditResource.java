package org.icgw.gateway.admin;

import static org.icgw.gateway.admin.AdminApi.V1;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.icgw.policy.model.AuditEntry;

/** The audit log of changes made through this API, newest first, paged. */
final class AuditResource {
    private AuditResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.add("GET", V1 + "/audit", AdminScope.STAFF, req -> {
            int offset = req.intParam("offset", 0, 0, Integer.MAX_VALUE);
            int limit = req.intParam("limit", 100, 1, 1000);
            List<AuditEntry> page = ctx.store().auditLog(offset, limit);
            ObjectNode n = Json.object();
            n.set("items", Json.array(page, Json::audit));
            n.put("offset", offset);
            n.put("limit", limit);
            return AdminResponse.ok(n);
        });
    }
}
