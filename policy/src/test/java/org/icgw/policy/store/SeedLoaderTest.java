package org.icgw.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.icgw.policy.store.Fixtures.NOW;
import static org.icgw.policy.store.Fixtures.PINS;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Seed files provision all or nothing, and a bad one names the path of its fault. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.class)
class SeedLoaderTest {
    private static final Path DEMO = Path.of("..", "deploy", "seed", "demo.yaml");
    private static final String FAC = "osage-county-jail";

    /** Every kind of item; each bad seed below is this with one fault. */
    private static final String VALID = """
            facilities:
              - id: f1
                name: Seed Jail
                time_zone: America/Chicago
                ani: "+15735550100"
                rate_tier: medium_jail
                state: MO
            inmates:
              - {id: i0, facility_id: f1, name: A, pin: "100000"}
              - {id: i1, facility_id: f1, name: B, pin: "100001"}
              - {id: i2, facility_id: f1, name: C, pin: "100002"}
              - {id: i3, facility_id: f1, name: D, pin: "100003", status: active}
            terminals:
              - {id: t0, facility_id: f1, sip_username: u0, sip_password: p0}
              - {id: t1, facility_id: f1, sip_username: u1, sip_password: p1}
            accounts:
              - {id: a0, type: prepaid, owner_name: O, billing_numbers: ["+15735550123"], opening_balance_cents: 700}
            rates:
              - {facility_id: f1, call_class: local, cents_per_minute: 5}
              - {facility_id: f1, call_class: interstate, cents_per_minute: 12}
            privileged_numbers:
              - {number: "+15735550188", label: Defender}
            blocks:
              - {number: "+15735550199", scope: facility, facility_id: f1}
            """;

    @Parameter
    TestDb testDb;

    @TempDir
    Path tmp;

    private JdbcPolicyStore store;

    @BeforeEach
    void open() {
        store = testDb.fresh(tmp).open("node-a");
    }

    @AfterEach
    void close() {
        store.close();
    }

    private SeedLoader.Summary load(String yaml) {
        return SeedLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), store, PINS, NOW);
    }

    @Test
    void theBaseSeedLoads() {
        assertThat(load(VALID)).isEqualTo(new SeedLoader.Summary(1, 4, 2, 1, 2, 1, 1));
        Facility f = store.facility("f1").orElseThrow();
        assertThat(f.maxCallMinutes()).isEqualTo(Facility.DEFAULT_MAX_CALL_MINUTES);
        assertThat(f.pinLength()).isEqualTo(6);
        assertThat(f.region()).isEqualTo("US");
        assertThat(store.inmates(Optional.empty())).hasSize(4);
        assertThat(store.account("a0").orElseThrow().balanceCents()).isEqualTo(700);
        assertThat(store.rates("f1")).containsExactly(new Rate("f1", CallClass.LOCAL, 5, 60),
                new Rate("f1", CallClass.INTERSTATE, 12, 60));
        assertThat(store.isBlocked("+15735550199", "f1", NOW)).isTrue();
        assertThat(store.privilegedNumber("+15735550188", "f1"))
                .contains(new PrivilegedNumber("+15735550188", Optional.empty(), "Defender"));
    }

    static Stream<Arguments> badSeeds() {
        return Stream.of(
                Arguments.of("not YAML", VALID + "  - {id: [\n", "seed"),
                Arguments.of("duplicate key", VALID.replace("    name: Seed Jail\n",
                        "    name: Seed Jail\n    name: Other\n"), "seed"),
                Arguments.of("unknown top-level key", VALID + "widgets: []\n", "widgets"),
                Arguments.of("list expected", VALID.replace(
                        "privileged_numbers:\n  - {number: \"+15735550188\", label: Defender}\n",
                        "privileged_numbers: Defender\n"), "privileged_numbers"),
                Arguments.of("unknown key", VALID.replace("{id: i0,", "{id: i0, shoe_size: 9,"),
                        "inmates[0].shoe_size"),
                Arguments.of("wrong type", VALID.replace("pin: \"100001\"}", "pin: \"100001\", calls_per_day: many}"),
                        "inmates[1].calls_per_day"),
                Arguments.of("missing required field", VALID.replace("    ani: \"+15735550100\"\n", ""),
                        "facilities[0].ani"),
                Arguments.of("bad enum value", VALID.replace("status: active", "status: asleep"), "inmates[3].status"),
                Arguments.of("unquoted PIN", VALID.replace("pin: \"100002\"", "pin: 100002"), "inmates[2].pin"),
                Arguments.of("PIN of the wrong length", VALID.replace("pin: \"100002\"", "pin: \"1000020\""),
                        "inmates[2].pin"),
                Arguments.of("unknown facility", VALID.replace("{id: t1, facility_id: f1", "{id: t1, facility_id: f9"),
                        "terminals[1].facility_id"),
                Arguments.of("duplicate SIP username", VALID.replace("sip_username: u1", "sip_username: u0"),
                        "terminals[1].sip_username"),
                Arguments.of("unquoted number", VALID.replace("[\"+15735550123\"]", "[+15735550123]"),
                        "accounts[0].billing_numbers[0]"),
                Arguments.of("rate above cap", VALID.replace("cents_per_minute: 12", "cents_per_minute: 13"),
                        "rates[1].cents_per_minute"),
                Arguments.of("last item refers to an unknown facility",
                        VALID.replace("scope: facility, facility_id: f1}", "scope: facility, facility_id: f2}"),
                        "blocks[0].facility_id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSeeds")
    void aBadSeedNamesThePathAndWritesNothing(String fault, String yaml, String field) {
        assertThatThrownBy(() -> load(yaml)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo(field);
        assertThat(store.facilities()).isEmpty();
        assertThat(store.inmates(Optional.empty())).isEmpty();
        assertThat(store.terminals(Optional.empty())).isEmpty();
        assertThat(store.accounts()).isEmpty();
        assertThat(store.rates("f1")).isEmpty();
        assertThat(store.privilegedNumbers()).isEmpty();
        assertThat(store.blocks(true)).isEmpty();
    }

    @Test
    void theDemoSeedProvisionsAFacilityReadyToCall() {
        assertThat(SeedLoader.load(DEMO, store, PINS, NOW)).isEqualTo(new SeedLoader.Summary(1, 3, 3, 3, 4, 1, 1));
        Facility f = store.facility(FAC).orElseThrow();
        assertThat(f.timeZone().getId()).isEqualTo("America/Chicago");
        assertThat(f.state()).isEqualTo("MO");
        assertThat(f.localPrefixes()).containsExactly("+1573");
        assertThat(f.rateTier()).isEqualTo(RateTier.MEDIUM_JAIL);
        assertThat(f.callingHours()).isEqualTo(CallingHours.ALWAYS);

        Inmate reyes = store.inmateByPinIndex(FAC, PINS.index(FAC, "424242")).orElseThrow();
        assertThat(reyes.id()).isEqualTo("inm-1001");
        assertThat(PINS.verify("424242", reyes.pinHash())).isTrue();
        assertThat(reyes.pinHash()).doesNotContain("424242");
        assertThat(store.inmate("inm-1002").orElseThrow().allowedNumbers())
                .containsExactly("+15735550123", "+15735550188");
        assertThat(store.inmate("inm-1003").orElseThrow().status()).isEqualTo(InmateStatus.RESTRICTED);

        assertThat(store.terminalByUsername("tablet-1001")).contains(new Terminal("tablet-1001", FAC, "tablet-1001",
                "demo-tablet-1001-secret", TerminalKind.TABLET, true, Optional.of("inm-1001")));
        assertThat(store.terminalByUsername("pod-a-1").orElseThrow().kind()).isEqualTo(TerminalKind.PHONE);

        assertThat(store.accountsForNumber("+15735550123")).extracting(Account::id, Account::balanceCents)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acct-reyes-family", 2000L));
        assertThat(store.debitAccount("inm-1002").orElseThrow().balanceCents()).isEqualTo(500);
        assertThat(store.account("acct-varga-direct").orElseThrow().availableCents()).isEqualTo(3000);

        assertThat(store.rate(FAC, CallClass.LOCAL)).contains(new Rate(FAC, CallClass.LOCAL, 5, 60));
        assertThat(store.rates(FAC)).hasSize(4);
        assertThat(store.privilegedNumber("+15735550188", FAC).orElseThrow().label())
                .isEqualTo("Public defender, Osage Bend office");
        assertThat(store.isBlocked("+15735550199", FAC, NOW)).isTrue();
        assertThat(store.blocks(false)).singleElement().satisfies(b -> {
            assertThat(b.scope()).isEqualTo(BlockScope.ALL);
            assertThat(b.origin()).isEqualTo(BlockOrigin.STAFF);
        });
    }

    @Test
    void loadingAgainKeepsBalancesAndAddsNoBlockTwice() {
        SeedLoader.load(DEMO, store, PINS, NOW);
        store.deposit("acct-reyes-family", 150, "kiosk", NOW);
        SeedLoader.load(DEMO, store, PINS, NOW.plusSeconds(3600));
        assertThat(store.account("acct-reyes-family").orElseThrow().balanceCents()).isEqualTo(2150);
        assertThat(store.blocks(true)).hasSize(1);
        assertThat(store.inmates(Optional.of(FAC))).hasSize(3);
        assertThat(PINS.verify("135790", store.inmate("inm-1002").orElseThrow().pinHash())).isTrue();
        assertThat(store.inmateByPinIndex(FAC, PINS.index(FAC, "135790"))).map(Inmate::id).contains("inm-1002");
    }

    @Test
    void anEmptySeedWritesNothing() {
        assertThat(load("")).isEqualTo(new SeedLoader.Summary(0, 0, 0, 0, 0, 0, 0));
        assertThat(store.facilities()).isEmpty();
        assertThat(List.of(store.accounts(), store.privilegedNumbers())).allMatch(List::isEmpty);
    }
}
