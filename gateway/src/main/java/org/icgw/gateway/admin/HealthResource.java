package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (store reachable and SIP bound: 200,
 * otherwise 503 saying which is not; the body also counts registered terminals) and {@code /metrics} (Prometheus text format 0.0.4). None
 * needs a token: probes and scrapers carry none, and none of them reveals provisioned data.
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
            ObjectNode n = Json.object();
            n.put("status", store && sip ? "ready" : "not_ready");
            n.put("store", store);
            n.put("sip", sip);
            n.put("registrations", ctx.registrations().getAsInt());
            return AdminResponse.json(store && sip ? 200 : 503, n);
        });
        r.addPublic("GET", "/metrics", req -> AdminResponse.text(200, PROMETHEUS_TEXT, ctx.metrics().scrape()));
    }
}
