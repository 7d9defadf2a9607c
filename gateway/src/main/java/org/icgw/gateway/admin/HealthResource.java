package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (store reachable, SIP bound and no CDR
 * or settlement waiting for the store longer than {@code store.max_write_wait}: 200, otherwise 503
 * saying which is not, with a {@code reason}; the body also counts registered terminals and
 * waiting writes) and {@code /metrics} (Prometheus text format 0.0.4). None needs a token: probes
 * and scrapers carry none, and none of them reveals provisioned data.
 */
final class HealthResource {
    /** The Prometheus text exposition format's media type. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private HealthResource() {
    }

    static void routes(Router r, AdminContext ctx) {
        r.addPublic("GET", "/healthz", req -> {
            ObjectNode n = Json.object();
            n.put("status", "alive");
            return AdminResponse.ok(n);
        });
        r.addPublic("GET", "/readyz", req -> {
            boolean store = ctx.store().reachable();
            boolean sip = ctx.sipBound().getAsBoolean();
            Optional<String> stalled = ctx.calls().storeWritesStalled();
            List<String> reasons = new ArrayList<>();
            if (!store) {
                reasons.add("store unreachable");
            }
            if (!sip) {
                reasons.add("SIP not bound");
            }
            stalled.ifPresent(reasons::add);
            ObjectNode n = Json.object();
            n.put("status", reasons.isEmpty() ? "ready" : "not_ready");
            n.put("store", store);
            n.put("sip", sip);
            n.put("store_writes", stalled.isEmpty());
            n.put("store_writes_pending", ctx.calls().pendingStoreWrites());
            n.put("registrations", ctx.registrations().getAsInt());
            if (!reasons.isEmpty()) {
                n.put("reason", String.join("; ", reasons));
            }
            return AdminResponse.json(reasons.isEmpty() ? 200 : 503, n);
        });
        r.addPublic("GET", "/metrics", req -> AdminResponse.text(200, PROMETHEUS_TEXT, ctx.metrics().scrape()));
    }
}
