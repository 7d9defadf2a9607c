package org.icgw.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.icgw.policy.store.Fixtures.NOW;
import static org.icgw.policy.store.Fixtures.PINS;
import static org.icgw.policy.store.Fixtures.debit;
import static org.icgw.policy.store.Fixtures.directBill;
import static org.icgw.policy.store.Fixtures.facility;
import static org.icgw.policy.store.Fixtures.inmate;
import static org.icgw.policy.store.Fixtures.prepaid;
import static org.icgw.policy.store.Fixtures.terminal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.AuditEntry;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Deposit;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Round trips, validation and queries of the store, on embedded H2 and on PostgreSQL. */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.class)
class JdbcPolicyStoreTest {
    private static final String F = "fac-1";

    @Parameter
    TestDb testDb;

    @TempDir
    Path tmp;

    private TestDb.Database db;
    private JdbcPolicyStore store;

    @BeforeEach
    void open() {
        db = testDb.fresh(tmp);
        store = db.open("node-a");
        store.saveFacility(facility(F));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void facilityRoundTripAndUpdate() {
        Facility f = facility(F);
        assertThat(store.facility(F)).contains(f);
        store.saveFacility(f.withLockdown(true));
        assertThat(store.facility(F)).contains(f.withLockdown(true));
        store.saveFacility(facility("fac-0"));
        assertThat(store.facilities()).extracting(Facility::id).containsExactly("fac-0", F);
        assertThat(store.facility("nope")).isEmpty();
    }

    @Test
    void facilityWithoutOptionalsRoundTrips() {
        Facility f = facility(F);
        Facility bare = new Facility("fac-2", "Bare", Optional.empty(), f.timeZone(), f.callingHours(), 15, 60,
                "+15735550111", f.rateTier(), f.digitMap(), false, "US", "MO", List.of(), "0", 4,
                ThreeWayAction.DISCONNECT, false);
        store.saveFacility(bare);
        assertThat(store.facility("fac-2")).contains(bare);
    }

    @Test
    void terminalRoundTripByIdAndUsername() {
        Terminal t = terminal("t1", F, "pod-a-1");
        store.saveTerminal(t);
        assertThat(store.terminal("t1")).contains(t);
        assertThat(store.terminalByUsername("pod-a-1")).contains(t);
        Terminal changed = new Terminal("t1", F, "pod-a-1b", "new", TerminalKind.TABLET, false, Optional.empty());
        store.saveTerminal(changed);
        assertThat(store.terminalByUsername("pod-a-1")).isEmpty();
        assertThat(store.terminalByUsername("pod-a-1b")).contains(changed);
        store.saveFacility(facility("fac-2"));
        store.saveTerminal(terminal("t2", "fac-2", "other"));
        assertThat(store.terminals(Optional.of(F))).containsExactly(changed);
        assertThat(store.terminals(Optional.empty())).extracting(Terminal::id).containsExactly("t1", "t2");
    }

    @Test
    void tabletAssignedToAnInmate() {
        store.saveInmate(inmate("i1", F, "123456", List.of()));
        Terminal t = new Terminal("tab", F, "tab-1", "pw", TerminalKind.TABLET, true, Optional.of("i1"));
        store.saveTerminal(t);
        assertThat(store.terminal("tab")).contains(t);
        Terminal wrong = new Terminal("tab2", F, "tab-2", "pw", TerminalKind.TABLET, true, Optional.of("ghost"));
        assertThatThrownBy(() -> store.saveTerminal(wrong)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("assigned_inmate_id");
        assertThat(store.terminal("tab2")).isEmpty();
    }

    @Test
    void terminalValidation() {
        store.saveTerminal(terminal("t1", F, "pod-a-1"));
        assertField(() -> store.saveTerminal(terminal("t2", "fac-x", "pod-a-2")), "facility_id");
        assertField(() -> store.saveTerminal(terminal("t2", F, "pod-a-1")), "sip_username");
        assertField(() -> store.saveTerminal(terminal("bad id", F, "pod-a-3")), "id");
        assertThat(store.terminals(Optional.empty())).extracting(Terminal::id).containsExactly("t1");
    }

    @Test
    void inmateRoundTripWithAllowedNumbers() {
        Inmate m = inmate("i1", F, "424242", List.of("+15735550123", "+15735550188"));
        store.saveInmate(m);
        assertThat(store.inmate("i1")).contains(m);
        assertThat(store.inmateByPinIndex(F, PINS.index(F, "424242"))).contains(m);
        assertThat(store.inmateByPinIndex(F, PINS.index(F, "424243"))).isEmpty();
        assertThat(PINS.verify("424242", store.inmate("i1").orElseThrow().pinHash())).isTrue();

        Inmate changed = new Inmate("i1", F, "Renamed", Optional.of("names/i1.wav"), m.pinHash(), m.pinIndex(),
                InmateStatus.SEGREGATION, "es", 0, true, List.of("+15735550177"));
        store.saveInmate(changed);
        assertThat(store.inmate("i1")).contains(changed);
        Inmate other = inmate("i2", F, "111111", List.of());
        store.saveInmate(other);
        assertThat(store.inmates(Optional.of(F))).containsExactly(changed, other);
        assertThat(store.inmates(Optional.of("fac-x"))).isEmpty();
    }

    @Test
    void inmateValidationWritesNothing() {
        assertField(() -> store.saveInmate(inmate("i1", "fac-x", "424242", List.of())), "facility_id");
        assertField(() -> store.saveInmate(inmate("i1", F, "424242", List.of("+15735550123", "5550188"))),
                "allowed_numbers[1]");
        assertField(() -> store.saveInmate(inmate("i1", F, "424242", List.of("+15735550123", "+15735550123"))),
                "allowed_numbers[1]");
        assertThat(store.inmates(Optional.empty())).isEmpty();
        store.saveInmate(inmate("i1", F, "424242", List.of()));
        assertField(() -> store.saveInmate(inmate("i2", F, "424242", List.of())), "pin");
        assertThat(store.inmates(Optional.empty())).extracting(Inmate::id).containsExactly("i1");
    }

    @Test
    void accountsRoundTripAndLookups() {
        store.saveInmate(inmate("i1", F, "424242", List.of()));
        Account p = prepaid("acc-p", 1234, "+15735550123", "+15735550124");
        Account d = debit("acc-d", "i1", 500);
        Account b = directBill("acc-b", 3000, "+15735550123");
        store.saveAccount(p);
        store.saveAccount(d);
        store.saveAccount(b);
        assertThat(store.account("acc-p")).contains(p);
        assertThat(store.accounts()).containsExactly(b, d, p);
        assertThat(store.accountsForNumber("+15735550123")).containsExactly(b, p);
        assertThat(store.accountsForNumber("+15735550124")).containsExactly(p);
        assertThat(store.accountsForNumber("+15735550999")).isEmpty();
        assertThat(store.debitAccount("i1")).contains(d);
        assertThat(store.debitAccount("i2")).isEmpty();

        // An update changes identity and numbers, never the balance.
        store.saveAccount(new Account("acc-p", AccountType.PREPAID, "New Owner", Optional.empty(),
                List.of("+15735550125"), 999_999, 0, 0));
        assertThat(store.account("acc-p")).contains(new Account("acc-p", AccountType.PREPAID, "New Owner",
                Optional.empty(), List.of("+15735550125"), 1234, 0, 0));
        assertThat(store.accountsForNumber("+15735550124")).isEmpty();
    }

    @Test
    void accountValidation() {
        store.saveAccount(directBill("acc-b", 3000, "+15735550123"));
        assertField(() -> store.saveAccount(debit("acc-d", "ghost", 0)), "inmate_id");
        assertField(() -> store.saveAccount(prepaid("acc-p", -1, "+15735550123")), "balance_cents");
        assertField(() -> store.saveAccount(prepaid("acc-p", 0)), "billing_numbers");
        assertField(() -> store.saveAccount(prepaid("acc-b", 0, "+15735550123")), "type");
        assertThat(store.credit().reserve("acc-b", "call-1", 2500, NOW)).isPresent();
        assertField(() -> store.saveAccount(directBill("acc-b", 2000, "+15735550123")), "credit_limit_cents");
        assertThat(store.account("acc-b").orElseThrow().creditLimitCents()).isEqualTo(3000);
        assertThat(store.accounts()).extracting(Account::id).containsExactly("acc-b");
    }

    @Test
    void depositsChangeTheBalanceOnce() {
        store.saveAccount(prepaid("acc-p", 100, "+15735550123"));
        Deposit d1 = store.deposit("acc-p", 5000, "card 4242", NOW);
        Deposit d2 = store.deposit("acc-p", 1, "kiosk", NOW.plusSeconds(60));
        assertThat(store.account("acc-p").orElseThrow().balanceCents()).isEqualTo(5101);
        assertThat(store.deposits("acc-p")).containsExactly(d1, d2);
        assertThat(d1).isEqualTo(new Deposit(d1.id(), "acc-p", 5000, NOW, "card 4242"));
        assertThat(d2.id()).isNotEqualTo(d1.id());
    }

    @Test
    void depositAboveFiftyDollarsIsRefusedAndWritesNothing() {
        store.saveAccount(prepaid("acc-p", 100, "+15735550123"));
        assertField(() -> store.deposit("acc-p", 5001, "too much", NOW), "amount_cents");
        assertField(() -> store.deposit("acc-p", 0, "nothing", NOW), "amount_cents");
        assertField(() -> store.deposit("acc-p", -5, "negative", NOW), "amount_cents");
        assertThat(store.account("acc-p").orElseThrow().balanceCents()).isEqualTo(100);
        assertThat(store.deposits("acc-p")).isEmpty();
    }

    @Test
    void depositToDirectBillOrUnknownAccountIsRefused() {
        store.saveAccount(directBill("acc-b", 3000, "+15735550123"));
        assertField(() -> store.deposit("acc-b", 100, "x", NOW), "account_id");
        assertField(() -> store.deposit("acc-none", 100, "x", NOW), "account_id");
        assertThat(store.account("acc-b").orElseThrow().balanceCents()).isZero();
        assertThat(store.deposits("acc-b")).isEmpty();
    }

    @Test
    void ratesRoundTripUnderTheCap() {
        Rate local = new Rate(F, CallClass.LOCAL, 12, 60);
        Rate intl = new Rate(F, CallClass.INTERNATIONAL, 10, 30);
        store.saveRate(local, NOW);
        store.saveRate(intl, NOW);
        assertThat(store.rate(F, CallClass.LOCAL)).contains(local);
        assertThat(store.rate(F, CallClass.INTERSTATE)).isEmpty();
        store.saveRate(new Rate(F, CallClass.LOCAL, 5, 60), NOW);
        assertThat(store.rates(F)).containsExactly(new Rate(F, CallClass.LOCAL, 5, 60), intl);
    }

    @Test
    void rateAboveTheCapIsRefused() {
        // Medium jail: 12 cents from 2026-04-01 (interim caps), 7 cents before.
        assertField(() -> store.saveRate(new Rate(F, CallClass.LOCAL, 13, 60), NOW), "cents_per_minute");
        assertField(() -> store.saveRate(new Rate(F, CallClass.LOCAL, 8, 60), Instant.parse("2026-03-31T23:00:00Z")),
                "cents_per_minute");
        assertField(() -> store.saveRate(new Rate("fac-x", CallClass.LOCAL, 5, 60), NOW), "facility_id");
        assertField(() -> store.saveRate(new Rate(F, CallClass.LOCAL, 5, 0), NOW), "increment_seconds");
        // 6 cents a minute in 1 s increments rounds each second up to a cent: 60 cents a minute
        assertField(() -> store.saveRate(new Rate(F, CallClass.LOCAL, 6, 1), NOW), "increment_seconds");
        assertThat(store.rates(F)).isEmpty();
        store.saveRate(new Rate(F, CallClass.LOCAL, 7, 60), Instant.parse("2026-03-31T23:00:00Z"));
        assertThat(store.rates(F)).containsExactly(new Rate(F, CallClass.LOCAL, 7, 60));
    }

    @Test
    void blocksApplyInScopeUntilLifted() {
        store.saveFacility(facility("fac-2"));
        Block b = store.addBlock("+15735550199", BlockScope.FACILITY, Optional.of(F), BlockOrigin.CALLEE, NOW,
                "pressed 9");
        Block all = store.addBlock("+15735550198", BlockScope.ALL, Optional.empty(), BlockOrigin.STAFF, NOW, "order");
        assertThat(store.blocks(false)).containsExactly(b, all);
        assertThat(store.isBlocked("+15735550199", F, NOW)).isTrue();
        assertThat(store.isBlocked("+15735550199", F, NOW.minusSeconds(1))).isFalse();
        assertThat(store.isBlocked("+15735550199", "fac-2", NOW)).isFalse();
        assertThat(store.isBlocked("+15735550198", "fac-2", NOW)).isTrue();
        assertThat(store.isBlocked("+15735550197", F, NOW)).isFalse();

        Instant lift = NOW.plus(Duration.ofDays(1));
        assertThat(store.liftBlock(b.id(), lift)).isTrue();
        assertThat(store.liftBlock(b.id(), lift.plusSeconds(5))).isFalse();
        assertThat(store.isBlocked("+15735550199", F, lift.minusSeconds(1))).isTrue();
        assertThat(store.isBlocked("+15735550199", F, lift)).isFalse();
        assertThat(store.blocks(false)).containsExactly(all);
        assertThat(store.blocks(true)).containsExactly(
                new Block(b.id(), b.number(), b.scope(), b.facilityId(), b.origin(), NOW, Optional.of(lift), "pressed 9"),
                all);
        assertField(() -> store.addBlock("+15735550199", BlockScope.FACILITY, Optional.empty(), BlockOrigin.STAFF, NOW,
                ""), "facility_id");
        assertField(() -> store.addBlock("5550199", BlockScope.ALL, Optional.empty(), BlockOrigin.STAFF, NOW, ""),
                "number");
        assertThat(store.blocks(true)).hasSize(2);
    }

    @Test
    void privilegedNumbersPreferTheFacilitysOwn() {
        store.saveFacility(facility("fac-2"));
        PrivilegedNumber everywhere = new PrivilegedNumber("+15735550188", Optional.empty(), "Public defender");
        PrivilegedNumber here = new PrivilegedNumber("+15735550188", Optional.of(F), "Public defender, local office");
        store.savePrivilegedNumber(everywhere);
        store.savePrivilegedNumber(here);
        store.savePrivilegedNumber(here);
        assertThat(store.privilegedNumber("+15735550188", F)).contains(here);
        assertThat(store.privilegedNumber("+15735550188", "fac-2")).contains(everywhere);
        assertThat(store.privilegedNumber("+15735550187", F)).isEmpty();
        assertThat(store.privilegedNumbers()).containsExactly(here, everywhere);
    }

    @Test
    void pinFailuresAreCountedInWindows() {
        store.saveTerminal(terminal("t1", F, "pod-a-1"));
        store.saveTerminal(terminal("t2", F, "pod-a-2"));
        store.saveInmate(inmate("i1", F, "424242", List.of()));
        List<Instant> times = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Instant at = NOW.plus(Duration.ofMinutes(4L * i)).plusNanos(123_456_789);
            times.add(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            store.recordPinFailure(i % 2 == 0 ? "t1" : "t2", i < 3 ? Optional.of("i1") : Optional.empty(), at);
        }
        assertThat(store.terminalPinFailuresSince("t1", NOW)).containsExactly(times.get(0), times.get(2), times.get(4));
        assertThat(store.terminalPinFailuresSince("t1", times.get(2))).containsExactly(times.get(2), times.get(4));
        assertThat(store.terminalPinFailuresSince("t2", times.get(5).plusNanos(1000))).isEmpty();
        assertThat(store.inmatePinFailuresSince("i1", NOW)).containsExactly(times.get(0), times.get(1), times.get(2));
        assertThat(store.inmatePinFailuresSince("i1", NOW.plus(Duration.ofMinutes(15)))).isEmpty();
        assertField(() -> store.recordPinFailure("ghost", Optional.empty(), NOW), "terminal_id");
    }

    @Test
    void callRecordsRoundTripAndQueries() {
        List<CallRecord> saved = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            saved.add(cdr("call-" + i, i % 2 == 0 ? "i1" : "i2", i < 4 ? "5550123" : "+15735550124",
                    NOW.plus(Duration.ofMinutes(10L * i)), i == 3));
        }
        saved.forEach(store::saveCallRecord);
        CallRecord denied = new CallRecord("call-denied", Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), "911", Optional.empty(), Optional.empty(), NOW.minusSeconds(60), Optional.empty(),
                Optional.empty(), NOW.minusSeconds(59), 0, 0, Disposition.DENIED, Optional.of(DenyReason.UNKNOWN_TERMINAL),
                List.of(), Optional.empty());
        store.saveCallRecord(denied);

        assertThat(store.callRecord("call-3")).contains(saved.get(3));
        assertThat(store.callRecord("call-denied")).contains(denied);
        assertThat(store.callRecord("call-x")).isEmpty();
        CdrQuery all = CdrQuery.all();
        assertThat(store.callRecords(all)).extracting(CallRecord::callId)
                .containsExactly("call-6", "call-5", "call-4", "call-3", "call-2", "call-1", "call-0", "call-denied");
        assertThat(store.callRecords(new CdrQuery(Optional.of("i1"), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 100))).containsExactly(saved.get(6), saved.get(4), saved.get(2), saved.get(0));
        // By dialed digits and by the normalised number.
        assertThat(store.callRecords(new CdrQuery(Optional.empty(), Optional.of("5550123"), Optional.empty(),
                Optional.empty(), 0, 100))).extracting(CallRecord::callId)
                .containsExactly("call-3", "call-2", "call-1", "call-0");
        assertThat(store.callRecords(new CdrQuery(Optional.empty(), Optional.of("+15735550123"), Optional.empty(),
                Optional.empty(), 0, 100))).extracting(CallRecord::callId)
                .containsExactly("call-3", "call-2", "call-1", "call-0");
        // Time range: from inclusive, to exclusive.
        assertThat(store.callRecords(new CdrQuery(Optional.empty(), Optional.empty(),
                Optional.of(NOW.plus(Duration.ofMinutes(20))), Optional.of(NOW.plus(Duration.ofMinutes(50))), 0, 100)))
                .extracting(CallRecord::callId).containsExactly("call-4", "call-3", "call-2");
        // Paging, newest first.
        assertThat(store.callRecords(new CdrQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 2, 3))).containsExactly(saved.get(4), saved.get(3), saved.get(2));
        assertThat(store.callRecords(new CdrQuery(Optional.of("i2"), Optional.of("+15735550123"), Optional.empty(),
                Optional.empty(), 1, 1))).containsExactly(saved.get(1));
        assertField(() -> store.callRecords(new CdrQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 0)), "limit");

        // Accepted calls of an inmate since a time (the daily limit).
        assertThat(store.acceptedCallsSince("i1", NOW)).isEqualTo(4);
        assertThat(store.acceptedCallsSince("i1", NOW.plus(Duration.ofMinutes(21)))).isEqualTo(2);
        assertThat(store.acceptedCallsSince("i2", NOW)).isEqualTo(3);

        // Saving again replaces, detections too.
        CallRecord replaced = cdr("call-3", "i1", "5550123", NOW.plus(Duration.ofMinutes(30)), false);
        store.saveCallRecord(replaced);
        assertThat(store.callRecord("call-3")).contains(replaced);
        assertThat(store.acceptedCallsSince("i2", NOW)).isEqualTo(2);
        assertThat(store.acceptedCallsSince("i1", NOW)).isEqualTo(5);
    }

    @Test
    void atomicallyWritesAllOrNothing() {
        assertThatThrownBy(() -> store.atomically(s -> {
            s.saveFacility(facility("fac-2"));
            s.saveTerminal(terminal("t1", "fac-2", "pod-b-1"));
            assertThat(s.terminal("t1")).isPresent();
            s.saveTerminal(terminal("t2", "fac-3", "pod-b-2"));
        })).isInstanceOf(ValidationException.class);
        assertThat(store.facilities()).extracting(Facility::id).containsExactly(F);
        assertThat(store.terminals(Optional.empty())).isEmpty();
        store.atomically(s -> {
            s.saveFacility(facility("fac-2"));
            s.saveTerminal(terminal("t1", "fac-2", "pod-b-1"));
        });
        assertThat(store.terminals(Optional.empty())).extracting(Terminal::id).containsExactly("t1");
    }

    @Test
    void reopeningKeepsDataAndSchema() {
        store.saveAccount(prepaid("acc-p", 100, "+15735550123"));
        store.close();
        store = db.open("node-a");
        assertThat(store.account("acc-p").orElseThrow().balanceCents()).isEqualTo(100);
        assertThat(store.reachable()).isTrue();
    }

    @Test
    void auditLogNewestFirstPagedAndRolledBackWithItsChange() {
        AuditEntry first = store.audit("staff:0a1b2c3d", "PUT", "/api/v1/facilities/fac-1", Optional.of(F), NOW);
        AuditEntry second = store.audit("investigator:4e5f6a7b", "DELETE", "/api/v1/calls/c-9", Optional.of("c-9"),
                NOW.plusSeconds(5));
        store.audit("staff:0a1b2c3d", "POST", "/api/v1/blocks", Optional.empty(), NOW.plusSeconds(9));
        assertThat(second.id()).isGreaterThan(first.id());
        List<AuditEntry> all = store.auditLog(0, 10);
        assertThat(all).extracting(AuditEntry::method).containsExactly("POST", "DELETE", "PUT");
        assertThat(all.get(1)).isEqualTo(second);
        assertThat(all.get(2)).isEqualTo(first);
        assertThat(all.get(0).entityId()).isEmpty();
        assertThat(store.auditLog(1, 1)).containsExactly(second);

        assertThatThrownBy(() -> store.atomically(s -> {
            s.audit("staff:0a1b2c3d", "POST", "/api/v1/accounts/acc-x/deposits", Optional.of("acc-x"), NOW);
            s.deposit("acc-x", 100, "ref", NOW);
        })).isInstanceOf(ValidationException.class);
        assertThat(store.auditLog(0, 10)).hasSize(3);
        assertField(() -> store.audit(" ", "PUT", "/x", Optional.empty(), NOW), "actor");
        assertField(() -> store.auditLog(0, 0), "limit");
    }

    private static CallRecord cdr(String id, String inmate, String dialed, Instant start, boolean detections) {
        List<ThreeWayDetection> d = detections
                ? List.of(new ThreeWayDetection("rfc4733_flash", start.plusSeconds(30), ThreeWayAction.WARN),
                        new ThreeWayDetection("dial_tone", start.plusSeconds(40), ThreeWayAction.DISCONNECT))
                : List.of();
        String normalized = dialed.startsWith("+") ? dialed : "+1573" + dialed;
        return new CallRecord(id, Optional.of(F), Optional.of("t1"), Optional.of(inmate), Optional.of("acc-p"), dialed,
                Optional.of(normalized), Optional.of(CallClass.LOCAL), start, Optional.of(start.plusSeconds(10)),
                Optional.of(start.plusSeconds(20)), start.plusSeconds(200), 180, 36,
                detections ? Disposition.THREE_WAY_DETECTED : Disposition.COMPLETED, Optional.empty(), d,
                Optional.of("rec/" + id + ".wav"));
    }

    static void assertField(Runnable write, String field) {
        assertThatThrownBy(write::run).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo(field);
    }
}
