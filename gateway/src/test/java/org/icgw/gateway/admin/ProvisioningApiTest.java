package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.icgw.gateway.admin.AdminHarness.PINS;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.AuditEntry;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every provisioned thing over real HTTP: the happy path, and bad input answered 400 naming the
 * field with nothing written and nothing audited.
 */
class ProvisioningApiTest {
    private static final String F = "osage-county-jail";
    private static final String NEW_FACILITY = """
            {"name": "North Ridge Correctional Center", "time_zone": "America/Chicago",
             "calling_hours": "07:00-22:00", "ani": "+15735550101", "rate_tier": "prison", "state": "MO",
             "local_prefixes": ["+1573"], "digit_map": {"accept": "3"}, "pin_length": 4}""";

    @TempDir
    Path tmp;
    private AdminHarness h;
    private final List<String> changes = new ArrayList<>();

    @BeforeEach
    void start() {
        h = new AdminHarness(tmp);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    /** A staff change that must succeed with {@code status}; remembered for the audit check. */
    private JsonNode change(String method, String path, String body, int status) {
        AdminHarness.Response r = h.staff(method, path, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.text()).isEqualTo(status);
        changes.add(method + " " + path);
        return r.raw().body().length == 0 ? null : r.json();
    }

    /** A staff request that must be refused 400 naming {@code field}. */
    private void refused(String method, String path, String body, String field) {
        AdminHarness.Response r = h.staff(method, path, body);
        assertThat(r.status()).as(method + " " + path + ": " + r.text()).isEqualTo(400);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        JsonNode p = r.json();
        assertThat(p.get("field").asText()).isEqualTo(field);
        assertThat(p.get("status").asInt()).isEqualTo(400);
        assertThat(p.get("title").asText()).isEqualTo("Invalid field");
        assertThat(p.get("detail").asText()).isNotBlank();
    }

    private void auditHoldsExactlyTheChanges() {
        List<AuditEntry> log = h.store.auditLog(0, 1000);
        List<String> got = new ArrayList<>();
        for (AuditEntry e : log.reversed()) {
            got.add(e.method() + " " + e.path());
            assertThat(e.actor()).matches("staff:[0-9a-f]{8}");
            assertThat(e.at()).isEqualTo(TestClock.START);
        }
        assertThat(got).containsExactlyElementsOf(changes);
    }

    @Test
    void facilitiesCreateReadReplaceAndRefuseBadFields() {
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("America/Chicago", "Mars/Olympus"),
                "time_zone");
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"3\"", "\"33\""), "digit_map.accept");
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"pin_length\"", "\"pin_len\""), "pin_len");
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"prison\"", "\"castle\""), "rate_tier");
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"name\"", "\"id\": \"other\", \"name\""),
                "id");
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"pin_length\": 4",
                "\"max_call_minutes\": 0"), "max_call_minutes");
        refused("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"pin_length\": 4",
                "\"lockdown\": \"yes\""), "lockdown");
        assertThat(h.get("/api/v1/facilities/north-ridge", AdminHarness.STAFF).status()).isEqualTo(404);

        JsonNode created = change("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY, 201);
        assertThat(created.get("max_call_minutes").asInt()).isEqualTo(Facility.DEFAULT_MAX_CALL_MINUTES);
        assertThat(created.get("digit_map").get("accept").asText()).isEqualTo("3");
        assertThat(created.get("digit_map").get("refuse").asText()).isEqualTo("2");
        Facility stored = h.store.facility("north-ridge").orElseThrow();
        assertThat(stored.pinLength()).isEqualTo(4);
        assertThat(stored.ani()).isEqualTo("+15735550101");
        JsonNode read = h.get("/api/v1/facilities/north-ridge", AdminHarness.STAFF).json();
        assertThat(read).isEqualTo(created);

        change("PUT", "/api/v1/facilities/north-ridge", NEW_FACILITY.replace("\"pin_length\": 4",
                "\"lockdown\": true"), 200);
        assertThat(h.store.facility("north-ridge").orElseThrow().lockdown()).isTrue();
        JsonNode list = h.get("/api/v1/facilities", AdminHarness.STAFF).json().get("items");
        assertThat(list).extracting(n -> n.get("id").asText()).containsExactly("north-ridge", F);
        auditHoldsExactlyTheChanges();
        assertThat(h.store.auditLog(0, 1).getFirst().entityId()).contains("north-ridge");
    }

    @Test
    void terminalsKeepTheirPasswordWriteOnly() {
        String body = "{\"facility_id\": \"" + F + "\", \"sip_username\": \"pod-b-1\", \"kind\": \"phone\"}";
        refused("PUT", "/api/v1/terminals/pod-b-phone-1", body, "sip_password");
        refused("PUT", "/api/v1/terminals/pod-b-phone-1", body.replace("pod-b-1", "pod-a-1").replace("}",
                ", \"sip_password\": \"s3cret-pod-b\"}"), "sip_username");
        refused("PUT", "/api/v1/terminals/pod-b-phone-1", body.replace("phone\"}", "fax\", \"sip_password\": \"x1\"}"),
                "kind");
        refused("PUT", "/api/v1/terminals/pod-b-phone-1", body.replace(F, "nowhere").replace("}",
                ", \"sip_password\": \"s3cret-pod-b\"}"), "facility_id");
        assertThat(h.store.terminal("pod-b-phone-1")).isEmpty();

        JsonNode t = change("PUT", "/api/v1/terminals/pod-b-phone-1",
                body.replace("}", ", \"sip_password\": \"s3cret-pod-b\"}"), 201);
        assertThat(t.has("sip_password")).isFalse();
        assertThat(t.get("enabled").asBoolean()).isTrue();
        change("PUT", "/api/v1/terminals/pod-b-phone-1", body.replace("}", ", \"enabled\": false}"), 200);
        assertThat(h.store.terminal("pod-b-phone-1").orElseThrow().sipPassword()).isEqualTo("s3cret-pod-b");
        assertThat(h.store.terminal("pod-b-phone-1").orElseThrow().enabled()).isFalse();
        AdminHarness.Response list = h.get("/api/v1/terminals?facility_id=" + F, AdminHarness.STAFF);
        assertThat(list.json().get("items")).hasSize(4);
        assertThat(list.text()).doesNotContain("secret", "s3cret");
        auditHoldsExactlyTheChanges();
    }

    @Test
    void inmatePinsAreSetAndResetButNeverReadBack() {
        String body = "{\"facility_id\": \"" + F + "\", \"name\": \"Eli Moss\", \"pin\": \"%s\", \"calls_per_day\": 3}";
        refused("PUT", "/api/v1/inmates/inm-2001", body.formatted("1234"), "pin");
        refused("PUT", "/api/v1/inmates/inm-2001", body.formatted("12ab56"), "pin");
        refused("PUT", "/api/v1/inmates/inm-2001", body.formatted("424242"), "pin");
        refused("PUT", "/api/v1/inmates/inm-2001", body.formatted("777777").replace("3}", "-1}"), "calls_per_day");
        refused("PUT", "/api/v1/inmates/inm-2001", body.formatted("777777").replace("3}", "\"three\"}"), "calls_per_day");
        refused("PUT", "/api/v1/inmates/inm-2001", "{\"facility_id\": \"" + F + "\", \"name\": \"Eli Moss\"}", "pin");
        assertThat(h.store.inmate("inm-2001")).isEmpty();

        JsonNode created = change("PUT", "/api/v1/inmates/inm-2001", body.formatted("777777"), 201);
        assertThat(created.has("pin")).isFalse();
        assertThat(created.toString()).doesNotContain("777777", "argon2", "pin_hash", "pin_index");
        Inmate m = h.store.inmate("inm-2001").orElseThrow();
        assertThat(PINS.verify("777777", m.pinHash())).isTrue();
        assertThat(m.pinIndex()).isEqualTo(PINS.index(F, "777777"));

        change("PUT", "/api/v1/inmates/inm-2001", "{\"facility_id\": \"" + F + "\", \"name\": \"Eli J. Moss\"}", 200);
        Inmate renamed = h.store.inmate("inm-2001").orElseThrow();
        assertThat(renamed.name()).isEqualTo("Eli J. Moss");
        assertThat(renamed.pinHash()).isEqualTo(m.pinHash());

        refused("PUT", "/api/v1/inmates/inm-2001/pin", "{\"pin\": \"88\"}", "pin");
        refused("PUT", "/api/v1/inmates/inm-2001/pin", "{\"pin\": 888888}", "pin");
        assertThat(h.store.inmate("inm-2001").orElseThrow().pinHash()).isEqualTo(m.pinHash());
        change("PUT", "/api/v1/inmates/inm-2001/pin", "{\"pin\": \"888888\"}", 204);
        Inmate reset = h.store.inmate("inm-2001").orElseThrow();
        assertThat(PINS.verify("888888", reset.pinHash())).isTrue();
        assertThat(PINS.verify("777777", reset.pinHash())).isFalse();
        assertThat(h.staff("PUT", "/api/v1/inmates/inm-9999/pin", "{\"pin\": \"888888\"}").status()).isEqualTo(404);

        AdminHarness.Response read = h.get("/api/v1/inmates/inm-2001", AdminHarness.STAFF);
        assertThat(read.text()).doesNotContain("888888", "argon2", "pin");
        assertThat(h.get("/api/v1/inmates?facility_id=" + F, AdminHarness.STAFF).json().get("items")).hasSize(4);
        auditHoldsExactlyTheChanges();
    }

    @Test
    void panListsAddReplaceAndRemoveNumbers() {
        String pan = "/api/v1/inmates/inm-1002/allowed_numbers";
        assertThat(h.get(pan, AdminHarness.STAFF).json().get("allowed_numbers"))
                .extracting(JsonNode::asText).containsExactly("+15735550123", "+15735550188");
        refused("POST", pan, "{\"number\": \"5550177\"}", "number");
        refused("PUT", pan, "{\"allowed_numbers\": [\"+15735550123\", \"not-a-number\"]}", "allowed_numbers[1]");
        refused("PUT", pan, "{\"allowed_numbers\": [\"+15735550123\", 15735550177]}", "allowed_numbers[1]");
        assertThat(h.store.inmate("inm-1002").orElseThrow().allowedNumbers())
                .containsExactly("+15735550123", "+15735550188");

        JsonNode added = change("POST", pan, "{\"number\": \"+15735550177\"}", 201);
        assertThat(added.get("allowed_numbers")).hasSize(3);
        change("DELETE", pan + "/+15735550123", null, 204);
        assertThat(h.staff("DELETE", pan + "/+15735550123", null).status()).isEqualTo(404);
        assertThat(h.store.inmate("inm-1002").orElseThrow().allowedNumbers())
                .containsExactlyInAnyOrder("+15735550188", "+15735550177");
        change("PUT", pan, "{\"allowed_numbers\": [\"+15735550150\"]}", 200);
        assertThat(h.store.inmate("inm-1002").orElseThrow().allowedNumbers()).containsExactly("+15735550150");
        assertThat(PINS.verify("135790", h.store.inmate("inm-1002").orElseThrow().pinHash())).isTrue();
        auditHoldsExactlyTheChanges();
    }

    @Test
    void accountsAndDepositsNeverOverFiftyDollars() {
        String acct = "{\"type\": \"prepaid\", \"owner_name\": \"June Moss\", \"billing_numbers\": [\"+15735550160\"],"
                + " \"opening_balance_cents\": 1000}";
        refused("PUT", "/api/v1/accounts/acct-moss", acct.replace("prepaid", "gift_card"), "type");
        refused("PUT", "/api/v1/accounts/acct-moss", acct.replace("\"+15735550160\"", ""), "billing_numbers");
        refused("PUT", "/api/v1/accounts/acct-moss", acct.replace("1000", "-5"), "balance_cents");
        assertThat(h.store.account("acct-moss")).isEmpty();
        JsonNode created = change("PUT", "/api/v1/accounts/acct-moss", acct, 201);
        assertThat(created.get("balance_cents").asLong()).isEqualTo(1000);
        assertThat(created.get("available_cents").asLong()).isEqualTo(1000);
        refused("PUT", "/api/v1/accounts/acct-moss", acct, "opening_balance_cents");
        change("PUT", "/api/v1/accounts/acct-moss", acct.replace(", \"opening_balance_cents\": 1000", "")
                .replace("June", "Juniper"), 200);
        assertThat(h.store.account("acct-moss").orElseThrow().ownerName()).isEqualTo("Juniper Moss");

        String deposits = "/api/v1/accounts/acct-moss/deposits";
        refused("POST", deposits, "{\"amount_cents\": 5001, \"reference\": \"too much\"}", "amount_cents");
        refused("POST", deposits, "{\"amount_cents\": 0}", "amount_cents");
        refused("POST", deposits, "{\"amount_cents\": 12.5}", "amount_cents");
        refused("POST", deposits, "{\"amount_cents\": \"100\"}", "amount_cents");
        refused("POST", deposits, "{\"reference\": \"nothing\"}", "amount_cents");
        refused("POST", "/api/v1/accounts/acct-varga-direct/deposits", "{\"amount_cents\": 100}", "account_id");
        assertThat(h.staff("POST", "/api/v1/accounts/acct-none/deposits", "{\"amount_cents\": 100}").status())
                .isEqualTo(404);
        assertThat(h.store.account("acct-moss").orElseThrow().balanceCents()).isEqualTo(1000);
        assertThat(h.store.deposits("acct-moss")).isEmpty();

        JsonNode d = change("POST", deposits, "{\"amount_cents\": 5000, \"reference\": \"money order 77\"}", 201);
        assertThat(d.get("amount_cents").asLong()).isEqualTo(5000);
        assertThat(d.get("at").asText()).isEqualTo(TestClock.START.toString());
        assertThat(h.store.account("acct-moss").orElseThrow().balanceCents()).isEqualTo(6000);
        JsonNode listed = h.get(deposits, AdminHarness.STAFF).json().get("items");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("reference").asText()).isEqualTo("money order 77");
        assertThat(h.get("/api/v1/accounts", AdminHarness.STAFF).json().get("items")).hasSize(4);
        auditHoldsExactlyTheChanges();
        assertThat(h.store.auditLog(0, 1).getFirst().entityId()).contains("acct-moss");
    }

    @Test
    void blocksAreAddedListedAndLifted() {
        refused("POST", "/api/v1/blocks", "{\"number\": \"+15735550170\", \"scope\": \"facility\"}", "facility_id");
        refused("POST", "/api/v1/blocks", "{\"number\": \"5550170\", \"scope\": \"all\"}", "number");
        refused("POST", "/api/v1/blocks", "{\"number\": \"+15735550170\", \"scope\": \"galaxy\"}", "scope");
        refused("POST", "/api/v1/blocks", "{\"number\": \"+15735550170\", \"scope\": \"all\", \"origin\": \"callee\"}",
                "origin");
        assertThat(h.store.blocks(true)).hasSize(1);

        JsonNode b = change("POST", "/api/v1/blocks", "{\"number\": \"+15735550170\", \"scope\": \"facility\","
                + " \"facility_id\": \"" + F + "\", \"note\": \"harassment report 12\"}", 201);
        assertThat(b.get("origin").asText()).isEqualTo("staff");
        long id = b.get("id").asLong();
        assertThat(h.store.isBlocked("+15735550170", F, TestClock.START)).isTrue();
        assertThat(h.get("/api/v1/blocks", AdminHarness.STAFF).json().get("items")).hasSize(2);

        refused("DELETE", "/api/v1/blocks/abc", null, "id");
        change("DELETE", "/api/v1/blocks/" + id, null, 204);
        assertThat(h.staff("DELETE", "/api/v1/blocks/" + id, null).status()).isEqualTo(404);
        assertThat(h.get("/api/v1/blocks", AdminHarness.STAFF).json().get("items")).hasSize(1);
        JsonNode all = h.get("/api/v1/blocks?include_lifted=true", AdminHarness.STAFF).json().get("items");
        assertThat(all).hasSize(2);
        assertThat(all.get(1).get("lifted_at").asText()).isEqualTo(TestClock.START.toString());
        refused("GET", "/api/v1/blocks?include_lifted=maybe", null, "include_lifted");
        auditHoldsExactlyTheChanges();
        assertThat(h.store.auditLog(0, 1).getFirst().entityId()).contains(String.valueOf(id));
    }

    @Test
    void privilegedNumbersAndRates() {
        refused("POST", "/api/v1/privileged_numbers", "{\"number\": \"+15735550189\"}", "label");
        refused("POST", "/api/v1/privileged_numbers", "{\"number\": \"+1\", \"label\": \"x\"}", "number");
        change("POST", "/api/v1/privileged_numbers", "{\"number\": \"+15735550189\", \"label\": \"Legal aid\"}", 200);
        assertThat(h.store.privilegedNumber("+15735550189", F)).isPresent();
        assertThat(h.get("/api/v1/privileged_numbers", AdminHarness.STAFF).json().get("items")).hasSize(2);

        String rates = "/api/v1/facilities/" + F + "/rates";
        refused("PUT", rates + "/local", "{\"cents_per_minute\": 50}", "cents_per_minute");
        refused("PUT", rates + "/local", "{\"cents_per_minute\": 5, \"increment_seconds\": 61}", "increment_seconds");
        refused("PUT", rates + "/galactic", "{\"cents_per_minute\": 5}", "call_class");
        refused("PUT", rates + "/local", "{\"cents_per_minute\": 5, \"call_class\": \"interstate\"}", "call_class");
        assertThat(h.store.rate(F, org.icgw.policy.model.CallClass.LOCAL).orElseThrow().centsPerMinute()).isEqualTo(5);
        JsonNode r = change("PUT", rates + "/local", "{\"cents_per_minute\": 4, \"increment_seconds\": 30}", 200);
        assertThat(r.get("increment_seconds").asInt()).isEqualTo(30);
        JsonNode listed = h.get(rates, AdminHarness.STAFF).json().get("items");
        assertThat(listed).hasSize(4);
        assertThat(listed.findValues("cents_per_minute")).extracting(JsonNode::asInt).contains(4);
        assertThat(h.get("/api/v1/facilities/none/rates", AdminHarness.STAFF).status()).isEqualTo(404);
        auditHoldsExactlyTheChanges();
        assertThat(h.store.auditLog(0, 1).getFirst().entityId()).isEqualTo(Optional.of(F + "/local"));
    }

    @Test
    void theAuditLogIsReadableNewestFirstAndPaged() {
        change("POST", "/api/v1/accounts/acct-hale-debit/deposits", "{\"amount_cents\": 100}", 201);
        change("POST", "/api/v1/blocks", "{\"number\": \"+15735550170\", \"scope\": \"all\"}", 201);
        JsonNode page = h.get("/api/v1/audit?limit=1", AdminHarness.STAFF).json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("path").asText()).isEqualTo("/api/v1/blocks");
        JsonNode second = h.get("/api/v1/audit?limit=1&offset=1", AdminHarness.STAFF).json().get("items").get(0);
        assertThat(second.get("method").asText()).isEqualTo("POST");
        assertThat(second.get("path").asText()).isEqualTo("/api/v1/accounts/acct-hale-debit/deposits");
        assertThat(second.get("entity_id").asText()).isEqualTo("acct-hale-debit");
        refused("GET", "/api/v1/audit?limit=0", null, "limit");
        refused("GET", "/api/v1/audit?limit=ten", null, "limit");
        auditHoldsExactlyTheChanges();
    }
}
