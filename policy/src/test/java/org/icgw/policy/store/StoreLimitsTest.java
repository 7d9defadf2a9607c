package org.icgw.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.icgw.policy.store.Fixtures.NOW;
import static org.icgw.policy.store.Fixtures.facility;
import static org.icgw.policy.store.Fixtures.inmate;
import static org.icgw.policy.store.Fixtures.prepaid;
import static org.icgw.policy.store.Fixtures.terminal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.RejectedWrite;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's text bounds, on embedded H2 and on PostgreSQL: {@link Column} lists exactly the
 * text columns the migrations create, with their sizes; every string a write carries is taken at
 * its column's size and refused one past it (the field named, nothing written); a refused CDR
 * repaired is stored flagged; a write set aside is kept; and the database's own refusals are told
 * apart from an unreachable database.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.class)
class StoreLimitsTest {
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
        store.saveInmate(inmate("i1", F, "123456", List.of()));
        store.saveTerminal(terminal("t1", F, "pod-a-1"));
        store.saveAccount(prepaid("acc-p", 2000, "+15735550123"));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private Connection raw() throws SQLException {
        return DriverManager.getConnection(db.url(), db.user().orElse(null), "");
    }

    @Test
    void theColumnListIsExactlyTheTextColumnsOfTheMigrations() throws SQLException {
        Map<String, Integer> schema = new LinkedHashMap<>();
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement("SELECT LOWER(table_name),"
                + " LOWER(column_name), character_maximum_length FROM information_schema.columns"
                + " WHERE LOWER(table_schema) = 'public' AND UPPER(data_type) = 'CHARACTER VARYING'"
                + " AND LOWER(table_name) <> 'flyway_schema_history'"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                schema.put(rs.getString(1) + "." + rs.getString(2), rs.getInt(3));
            }
        }
        Map<String, Integer> known = new LinkedHashMap<>();
        for (Column col : Column.values()) {
            known.put(col.table() + "." + col.column(), col.size());
        }
        assertThat(known).hasSize(Column.values().length);
        assertThat(schema).isEqualTo(known);
        assertThat(Column.of("call_records", "dialed")).contains(Column.CALL_RECORDS_DIALED);
        assertThat(Column.CALL_RECORDS_DIALED.size()).isEqualTo(64);
    }

    // ------------------------------------------------------------------ call records

    private static CallRecord cdr(String id, String dialed) {
        return new CallRecord(id, Optional.of(F), Optional.of("t1"), Optional.of("i1"), Optional.of("acc-p"), dialed,
                Optional.of("+15735550123"), Optional.of(CallClass.LOCAL), NOW, Optional.of(NOW.plusSeconds(5)),
                Optional.of(NOW.plusSeconds(10)), NOW.plusSeconds(70), 60, 5, Disposition.COMPLETED, Optional.empty(),
                List.of(new ThreeWayDetection("dial_tone", NOW.plusSeconds(30), ThreeWayAction.LOG)),
                Optional.of("rec/" + id + ".wav"));
    }

    /** A CDR whose string in {@code column} is {@code value}, the rest as {@link #cdr}. */
    private static CallRecord cdrWith(Column column, String value) {
        CallRecord r = cdr(column == Column.CALL_RECORDS_CALL_ID ? value : "c-" + column.ordinal(), "5735550123");
        return new CallRecord(r.callId(),
                column == Column.CALL_RECORDS_FACILITY_ID ? Optional.of(value) : r.facilityId(),
                column == Column.CALL_RECORDS_TERMINAL_ID ? Optional.of(value) : r.terminalId(),
                column == Column.CALL_RECORDS_INMATE_ID ? Optional.of(value) : r.inmateId(),
                column == Column.CALL_RECORDS_ACCOUNT_ID ? Optional.of(value) : r.accountId(),
                column == Column.CALL_RECORDS_DIALED ? value : r.dialed(),
                column == Column.CALL_RECORDS_NORMALIZED ? Optional.of(value) : r.normalized(), r.callClass(),
                r.startedAt(), r.calleeAnsweredAt(), r.acceptedAt(), r.endedAt(), r.billedSeconds(), r.chargeCents(),
                r.disposition(), r.denyReason(),
                column == Column.THREE_WAY_DETECTIONS_SIGNAL
                        ? List.of(new ThreeWayDetection(value, NOW.plusSeconds(30), ThreeWayAction.LOG))
                        : r.threeWayDetections(),
                column == Column.CALL_RECORDS_RECORDING_FILE ? Optional.of(value) : r.recordingFile());
    }

    @Test
    void everyStringOfACdrIsTakenAtItsColumnAndRefusedOnePast() {
        Map<Column, String> fields = new LinkedHashMap<>();
        fields.put(Column.CALL_RECORDS_CALL_ID, "call_id");
        fields.put(Column.CALL_RECORDS_FACILITY_ID, "facility_id");
        fields.put(Column.CALL_RECORDS_TERMINAL_ID, "terminal_id");
        fields.put(Column.CALL_RECORDS_INMATE_ID, "inmate_id");
        fields.put(Column.CALL_RECORDS_ACCOUNT_ID, "account_id");
        fields.put(Column.CALL_RECORDS_DIALED, "dialed");
        fields.put(Column.CALL_RECORDS_NORMALIZED, "normalized");
        fields.put(Column.CALL_RECORDS_RECORDING_FILE, "recording_file");
        fields.put(Column.THREE_WAY_DETECTIONS_SIGNAL, "three_way_detections[0].signal");
        fields.forEach((column, field) -> {
            CallRecord atBound = cdrWith(column, "7".repeat(column.size()));
            store.saveCallRecord(atBound);
            assertThat(store.callRecord(atBound.callId())).as(field).contains(atBound);

            CallRecord past = cdrWith(column, "8".repeat(column.size() + 1));
            store.saveCallRecord(cdr("keep-" + column.ordinal(), "5735550123"));
            assertThatThrownBy(() -> store.saveCallRecord(past)).as(field).isInstanceOf(ValidationException.class)
                    .hasMessage(field + ": at most " + column.size() + " characters, got " + (column.size() + 1));
            assertThat(store.callRecord(past.callId())).as(field).isEqualTo(
                    column == Column.CALL_RECORDS_CALL_ID ? Optional.empty() : Optional.of(atBound));
        });
    }

    @Test
    void aRefusedCdrRepairedIsStoredCutToItsColumnsAndFlagged() {
        CallRecord poison = cdr("c-poison", "5".repeat(200));
        assertThatThrownBy(() -> store.saveCallRecord(poison)).isInstanceOf(ValidationException.class)
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("dialed");
        assertThat(store.callRecord("c-poison")).isEmpty();

        CallRecord repaired = Repairs.callRecord(poison).orElseThrow();
        store.saveCallRecord(repaired);

        CallRecord stored = store.callRecord("c-poison").orElseThrow();
        assertThat(stored.repaired()).isTrue();
        assertThat(stored.dialed()).isEqualTo("5".repeat(64));
        assertThat(stored.chargeCents()).isEqualTo(5);
        assertThat(stored.threeWayDetections()).isEqualTo(poison.threeWayDetections());
        assertThat(store.callRecords(CdrQuery.all())).singleElement().extracting(CallRecord::repaired).isEqualTo(true);
        assertThat(Repairs.callRecord(stored)).as("nothing left to repair").isEmpty();

        store.saveCallRecord(cdr("c-fine", "5735550123"));
        assertThat(store.callRecord("c-fine").orElseThrow().repaired()).isFalse();
    }

    @Test
    void aNulCharacterIsRefusedAsOnPostgresql() {
        CallRecord nul = cdr("c-nul", "573\u0000555");
        assertThatThrownBy(() -> store.saveCallRecord(nul)).isInstanceOf(ValidationException.class)
                .hasMessage("dialed: must not contain NUL characters");
        store.saveCallRecord(Repairs.callRecord(nul).orElseThrow());
        assertThat(store.callRecord("c-nul").orElseThrow().dialed()).isEqualTo("573555");
    }

    // ------------------------------------------------------------------ provisioning

    /** A write whose string under test has length {@code n}. */
    private record Bounded(String field, int size, java.util.function.IntConsumer write, Supplier<Object> state) {
    }

    private static String text(int n) {
        return "x".repeat(n);
    }

    private List<Bounded> provisioningWrites() {
        Facility f = facility(F);
        Inmate m = inmate("i1", F, "123456", List.of());
        Terminal t = terminal("t1", F, "pod-a-1");
        Account a = prepaid("acc-p", 2000, "+15735550123");
        List<Bounded> writes = new ArrayList<>();
        writes.add(new Bounded("name", Column.FACILITIES_NAME.size(), n -> store.saveFacility(new Facility(F, text(n),
                f.namePrompt(), f.timeZone(), f.callingHours(), f.maxCallMinutes(), f.announcementIntervalSeconds(),
                f.ani(), f.rateTier(), f.digitMap(), f.lockdown(), f.region(), f.state(), f.localPrefixes(),
                f.accessCode(), f.pinLength(), f.threeWayAction(), f.internationalAllowed())), () -> store.facility(F)));
        writes.add(new Bounded("name_prompt", Column.FACILITIES_NAME_PROMPT.size(), n -> store.saveFacility(
                new Facility(F, f.name(), Optional.of(text(n)), f.timeZone(), f.callingHours(), f.maxCallMinutes(),
                        f.announcementIntervalSeconds(), f.ani(), f.rateTier(), f.digitMap(), f.lockdown(), f.region(),
                        f.state(), f.localPrefixes(), f.accessCode(), f.pinLength(), f.threeWayAction(),
                        f.internationalAllowed())), () -> store.facility(F)));
        writes.add(new Bounded("sip_username", Column.TERMINALS_SIP_USERNAME.size(), n -> store.saveTerminal(
                new Terminal("t1", F, text(n), t.sipPassword(), t.kind(), t.enabled(), t.assignedInmateId())),
                () -> store.terminal("t1")));
        writes.add(new Bounded("sip_password", Column.TERMINALS_SIP_PASSWORD.size(), n -> store.saveTerminal(
                new Terminal("t1", F, t.sipUsername(), text(n), t.kind(), t.enabled(), t.assignedInmateId())),
                () -> store.terminal("t1")));
        writes.add(new Bounded("name", Column.INMATES_NAME.size(), n -> store.saveInmate(new Inmate("i1", F, text(n),
                m.nameRecording(), m.pinHash(), m.pinIndex(), m.status(), m.language(), m.callsPerDay(),
                m.panEnforced(), m.allowedNumbers())), () -> store.inmate("i1")));
        writes.add(new Bounded("language", Column.INMATES_LANGUAGE.size(), n -> store.saveInmate(new Inmate("i1", F,
                m.name(), m.nameRecording(), m.pinHash(), m.pinIndex(), m.status(), text(n), m.callsPerDay(),
                m.panEnforced(), m.allowedNumbers())), () -> store.inmate("i1")));
        writes.add(new Bounded("owner_name", Column.ACCOUNTS_OWNER_NAME.size(), n -> store.saveAccount(new Account(
                "acc-p", a.type(), text(n), a.inmateId(), a.billingNumbers(), a.balanceCents(), a.creditLimitCents(),
                a.reservedCents())), () -> store.account("acc-p")));
        writes.add(new Bounded("reference", Column.DEPOSITS_REFERENCE.size(),
                n -> store.deposit("acc-p", 100, text(n), NOW), () -> List.of(store.deposits("acc-p"),
                store.account("acc-p").orElseThrow().balanceCents())));
        writes.add(new Bounded("note", Column.BLOCKS_NOTE.size(), n -> store.addBlock("+15735550199",
                BlockScope.FACILITY, Optional.of(F), BlockOrigin.STAFF, NOW, text(n)), () -> store.blocks(true)));
        writes.add(new Bounded("label", Column.PRIVILEGED_NUMBERS_LABEL.size(), n -> store.savePrivilegedNumber(
                new PrivilegedNumber("+15735550911", Optional.of(F), text(n))), store::privilegedNumbers));
        writes.add(new Bounded("path", Column.AUDIT_LOG_PATH.size(), n -> store.audit("staff:1f2e3d4c", "PUT",
                "/" + text(n - 1), Optional.empty(), NOW), () -> store.auditLog(0, 100)));
        writes.add(new Bounded("entity_id", Column.AUDIT_LOG_ENTITY_ID.size(), n -> store.audit("staff:1f2e3d4c",
                "PUT", "/api/v1/x", Optional.of(text(n)), NOW), () -> store.auditLog(0, 100)));
        return writes;
    }

    @Test
    void everyProvisionedStringIsTakenAtItsColumnAndRefusedOnePastWithNothingWritten() {
        for (Bounded w : provisioningWrites()) {
            w.write().accept(w.size());
            Object atBound = w.state().get();
            assertThatThrownBy(() -> w.write().accept(w.size() + 1)).as(w.field())
                    .isInstanceOf(ValidationException.class)
                    .hasMessage(w.field() + ": at most " + w.size() + " characters, got " + (w.size() + 1));
            assertThat(w.state().get()).as(w.field() + ": nothing written").isEqualTo(atBound);
        }
        assertThat(store.facility(F).orElseThrow().namePrompt().orElseThrow()).hasSize(Column.FACILITIES_NAME_PROMPT.size());
        assertThat(store.inmate("i1").orElseThrow().language()).hasSize(Column.INMATES_LANGUAGE.size());
        assertThat(store.account("acc-p").orElseThrow().balanceCents()).isEqualTo(2100);
    }

    // ------------------------------------------------------------------ writes set aside

    @Test
    void aWriteSetAsideIsKeptWithEveryStringCutToItsColumn() {
        RejectedWrite first = store.setAside("c-1", "cdr", "dialed: at most 64 characters, got 200", "CallRecord[...]",
                NOW);
        RejectedWrite second = store.setAside("c-2".repeat(100), "settlement", "r".repeat(5000), "z".repeat(20_000),
                NOW.plusSeconds(1));

        assertThat(store.rejectedWrites(0, 10)).containsExactly(second, first);
        assertThat(first.nodeId()).isEqualTo("node-a");
        assertThat(first.content()).isEqualTo("CallRecord[...]");
        assertThat(second.callId()).hasSize(Column.REJECTED_WRITES_CALL_ID.size());
        assertThat(second.reason()).hasSize(Column.REJECTED_WRITES_REASON.size());
        assertThat(second.content()).hasSize(Column.REJECTED_WRITES_CONTENT.size());
        assertThat(store.rejectedWrites(1, 10)).containsExactly(first);
    }

    // ------------------------------------------------------------------ what the database says

    private StoreException.Kind kindOf(String sql, Consumer<PreparedStatement> bind) {
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind.accept(ps);
            ps.executeUpdate();
        } catch (SQLException e) {
            return StoreException.classify(e);
        }
        throw new AssertionError("the database took " + sql);
    }

    private static void set(PreparedStatement ps, int i, String v) {
        try {
            ps.setString(i, v);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theDatabasesOwnRefusalsAreToldApartFromAnUnreachableDatabase() throws Exception {
        store.saveCallRecord(cdr("c-1", "5735550123"));
        assertThat(kindOf("UPDATE call_records SET dialed = ? WHERE call_id = 'c-1'", ps -> set(ps, 1, "9".repeat(65))))
                .as("value too long, SQLState 22001").isEqualTo(StoreException.Kind.REFUSED);
        assertThat(kindOf("UPDATE terminals SET facility_id = ? WHERE id = 't1'", ps -> set(ps, 1, "ghost")))
                .as("foreign key, SQLState 23503").isEqualTo(StoreException.Kind.REFUSED);

        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort();
        }
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + nobody + "/icgw?connectTimeout=2",
                "postgres", "")) {
            throw new AssertionError("nothing listens on " + nobody + " but " + c + " connected");
        } catch (SQLException e) {
            assertThat(StoreException.classify(e)).as("connection refused, SQLState " + e.getSQLState())
                    .isEqualTo(StoreException.Kind.UNAVAILABLE);
        }

        JdbcPolicyStore closed = db.open("node-b");
        closed.close();
        assertThatThrownBy(closed::facilities).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.kind()).isEqualTo(StoreException.Kind.UNAVAILABLE));
        assertThatThrownBy(() -> closed.saveCallRecord(cdr("c-2", "5735550123")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.refused()).isFalse());
    }
}
