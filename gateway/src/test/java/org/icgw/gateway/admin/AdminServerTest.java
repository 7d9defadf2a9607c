package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.icgw.gateway.admin.AdminHarness.INVESTIGATOR;
import static org.icgw.gateway.admin.AdminHarness.STAFF;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's plumbing over real HTTP: tokens and scopes, routing, errors, health, the OpenAPI document. */
class AdminServerTest {
    @TempDir
    Path tmp;
    private AdminHarness h;

    @BeforeEach
    void start() {
        h = new AdminHarness(tmp);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void withoutAValidTokenEveryApiRouteIs401WithABearerChallenge() {
        for (String token : new String[] {null, "not-a-configured-token-0000", STAFF + "x"}) {
            AdminHarness.Response r = h.get("/api/v1/facilities", token);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.contentType()).isEqualTo("application/problem+json");
            assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"icgw\"");
            assertThat(r.json().get("status").asInt()).isEqualTo(401);
        }
        AdminHarness.Response basic = h.send("GET", "/api/v1/facilities", null, null,
                b -> b.header("Authorization", "Basic " + STAFF));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(h.staff("POST", "/api/v1/blocks", "{\"number\":\"+15735550111\",\"scope\":\"all\"}").status())
                .isEqualTo(201);
        assertThat(h.send("POST", "/api/v1/blocks", null, "{\"number\":\"+15735550112\",\"scope\":\"all\"}").status())
                .isEqualTo(401);
        assertThat(h.store.blocks(false)).extracting(b -> b.number()).doesNotContain("+15735550112");
    }

    @Test
    void staffIsRefusedRecordingsAndCutOffsWith403WhileInvestigatorsMayDoEverything() {
        AdminHarness.Response rec = h.get("/api/v1/recordings/some-call", STAFF);
        assertThat(rec.status()).isEqualTo(403);
        assertThat(rec.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"", "scope=\"investigator\"");
        assertThat(rec.json().get("title").asText()).isEqualTo("Forbidden");
        assertThat(h.send("DELETE", "/api/v1/calls/some-call", STAFF, null).status()).isEqualTo(403);

        assertThat(h.get("/api/v1/recordings/some-call", INVESTIGATOR).status()).isEqualTo(404);
        assertThat(h.send("DELETE", "/api/v1/calls/some-call", INVESTIGATOR, null).status()).isEqualTo(404);
        assertThat(h.get("/api/v1/facilities", INVESTIGATOR).status()).isEqualTo(200);
        assertThat(h.send("POST", "/api/v1/accounts/acct-hale-debit/deposits", INVESTIGATOR,
                "{\"amount_cents\":100}").status()).isEqualTo(201);
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        AdminHarness.Response missing = h.get("/api/v1/nothing-here", STAFF);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).isEqualTo("application/problem+json");
        AdminHarness.Response wrong = h.send("PATCH", "/api/v1/facilities/osage-county-jail", STAFF, "{}");
        assertThat(wrong.status()).isEqualTo(405);
        assertThat(wrong.header("Allow")).isEqualTo("GET, PUT");
    }

    @Test
    void invalidJsonIs400NamingTheBodyAndABodyOverTheLimitIs413() {
        AdminHarness.Response bad = h.staff("POST", "/api/v1/blocks", "{\"number\": ");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("field").asText()).isEqualTo("body");
        assertThat(bad.json().get("type").asText()).isEqualTo("urn:icgw:problem:invalid-field");
        assertThat(h.staff("POST", "/api/v1/blocks", "[1,2]").json().get("field").asText()).isEqualTo("body");
        AdminHarness.Response dup = h.staff("POST", "/api/v1/blocks",
                "{\"number\":\"+15735550111\",\"number\":\"+15735550112\",\"scope\":\"all\"}");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.json().get("field").asText()).isEqualTo("body");
        AdminHarness.Response xml = h.send("POST", "/api/v1/blocks", STAFF, "<block/>",
                b -> b.setHeader("Content-Type", "application/xml"));
        assertThat(xml.status()).isEqualTo(415);

        String huge = "{\"note\":\"" + "x".repeat(AdminConfig.DEFAULT_MAX_BODY_BYTES) + "\"}";
        AdminHarness.Response big = h.staff("POST", "/api/v1/blocks", huge);
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.contentType()).isEqualTo("application/problem+json");
        assertThat(h.store.blocks(true)).hasSize(1);
        assertThat(h.store.auditLog(0, 10)).isEmpty();
        assertThat(h.get("/api/v1/facilities", STAFF).status()).isEqualTo(200);
    }

    @Test
    void healthzIsAliveAndReadyzFollowsSipAndTheStore() {
        assertThat(h.get("/healthz", null).status()).isEqualTo(200);
        AdminHarness.Response ready = h.get("/readyz", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("status").asText()).isEqualTo("ready");
        h.registrations.set(3);
        assertThat(h.get("/readyz", null).json().get("registrations").asInt()).isEqualTo(3);

        h.sipBound.set(false);
        AdminHarness.Response noSip = h.get("/readyz", null);
        assertThat(noSip.status()).isEqualTo(503);
        assertThat(noSip.json().get("sip").asBoolean()).isFalse();
        assertThat(noSip.json().get("store").asBoolean()).isTrue();
        h.sipBound.set(true);

        h.store.close();
        AdminHarness.Response noStore = h.get("/readyz", null);
        assertThat(noStore.status()).isEqualTo(503);
        assertThat(noStore.json().get("store").asBoolean()).isFalse();
        assertThat(h.get("/healthz", null).status()).isEqualTo(200);
        AdminHarness.Response write = h.staff("POST", "/api/v1/blocks", "{\"number\":\"+15735550111\",\"scope\":\"all\"}");
        assertThat(write.status()).isEqualTo(503);
        assertThat(write.json().get("title").asText()).isEqualTo("Store unavailable");
    }

    @Test
    void theOpenApiDocumentListsExactlyTheRoutesWithTheirScopes() {
        AdminHarness.Response r = h.get("/api/v1/openapi.json", null);
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = r.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Map<String, String> documented = new java.util.TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> p = paths.next();
            for (Iterator<String> ops = p.getValue().fieldNames(); ops.hasNext(); ) {
                String op = ops.next();
                if (Set.of("get", "put", "post", "delete", "patch", "head").contains(op)) {
                    documented.put(op.toUpperCase(Locale.ROOT) + " " + p.getKey(),
                            p.getValue().get(op).path("x-icgw-scope").asText("missing"));
                }
            }
        }
        Map<String, String> served = new java.util.TreeMap<>();
        for (Route route : h.server.router().routes()) {
            served.put(route.method() + " " + route.pattern(), route.scope().map(AdminScope::wireName).orElse("none"));
        }
        assertThat(documented).isEqualTo(served);
        Set<String> components = new HashSet<>();
        doc.get("components").get("schemas").fieldNames().forEachRemaining(components::add);
        assertThat(components).contains("Problem", "Facility", "Terminal", "Inmate", "Account", "Deposit", "Block",
                "PrivilegedNumber", "Rate", "CallRecord", "ActiveCall", "AuditEntry");
    }
}
