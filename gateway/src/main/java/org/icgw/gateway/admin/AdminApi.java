package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/** Builds the router of every admin route; the OpenAPI document describes exactly these. */
final class AdminApi {
    /** The API's path prefix. */
    static final String V1 = "/api/v1";

    private AdminApi() {
    }

    static Router router(AdminContext ctx) {
        Router r = new Router();
        HealthResource.routes(r, ctx);
        OpenApiResource.routes(r);
        FacilityResource.routes(r, ctx);
        TerminalResource.routes(r, ctx);
        InmateResource.routes(r, ctx);
        AccountResource.routes(r, ctx);
        BlockResource.routes(r, ctx);
        PrivilegedNumberResource.routes(r, ctx);
        RateResource.routes(r, ctx);
        CallRecordResource.routes(r, ctx);
        ActiveCallResource.routes(r, ctx);
        AuditResource.routes(r, ctx);
        return r;
    }

    /** A list answer: {@code {"items": [...]}}. */
    static <T> AdminResponse items(List<T> items, Function<T, ObjectNode> view) {
        ObjectNode n = Json.object();
        n.set("items", Json.array(items, view));
        return AdminResponse.ok(n);
    }

    static ProblemException notFound(String what, String id) {
        return new ProblemException(Problem.notFound("no " + what + " '" + id + "'"));
    }
}
