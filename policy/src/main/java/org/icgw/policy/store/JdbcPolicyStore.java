package org.icgw.policy.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AuditEntry;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.Deposit;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.RejectedWrite;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.icgw.policy.model.Wire;
import org.icgw.policy.rate.RateCaps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store over JDBC: the same portable SQL on embedded H2 (PostgreSQL mode) and PostgreSQL.
 *
 * <p>Reads answer with one statement each (a row plus its child rows through a join where the
 * value has a list). Every write is one READ COMMITTED transaction that validates its input first
 * and throws {@link ValidationException} naming the field before anything is written; the
 * schema's constraints are a backstop whose violations are reported the same way. Money moves
 * only through single conditional UPDATEs (see {@link #credit()}), so concurrent calls in one
 * or several gateway processes cannot overdraw an account.
 *
 * <p>Times are stored with microsecond precision (PostgreSQL's), so an {@link Instant} read back
 * is the one written truncated to microseconds.
 *
 * <p>On update, {@link #saveAccount} keeps the stored balance and reservations: money changes only
 * through deposits and calls. A new account starts at the record's balance (an opening balance,
 * as a seed file or a migration from another system gives it).
 */
public final class JdbcPolicyStore implements PolicyStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcPolicyStore.class);

    /** E.164: a plus, then up to 15 digits, the first not zero (ITU-T E.164 section 6). */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");
    private static final Pattern E164_PREFIX = Pattern.compile("\\+[0-9]{1,15}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_PAGE = 1000;

    /** Available money: what a new reservation may take. */
    private static final String AVAILABLE =
            "(CASE WHEN type = 'direct_bill' THEN credit_limit_cents - balance_cents ELSE balance_cents END)"
                    + " - reserved_cents";

    private static final String FACILITY_COLS = "id, name, name_prompt, time_zone, calling_hours, max_call_minutes,"
            + " announcement_interval_seconds, ani, rate_tier, digit_map, lockdown, region, state, local_prefixes,"
            + " access_code, pin_length, three_way_action, international_allowed";
    private static final String TERMINAL_COLS =
            "id, facility_id, sip_username, sip_password, kind, enabled, assigned_inmate_id";
    private static final String INMATE_SELECT = "SELECT i.id, i.facility_id, i.name, i.name_recording, i.pin_hash,"
            + " i.pin_index, i.status, i.language, i.calls_per_day, i.pan_enforced, n.number"
            + " FROM inmates i LEFT JOIN inmate_allowed_numbers n ON n.inmate_id = i.id";
    private static final String ACCOUNT_SELECT = "SELECT a.id, a.type, a.owner_name, a.inmate_id, a.balance_cents,"
            + " a.credit_limit_cents, a.reserved_cents, b.number"
            + " FROM accounts a LEFT JOIN account_billing_numbers b ON b.account_id = a.id";
    private static final String CDR_COLS = "c.call_id, c.facility_id, c.terminal_id, c.inmate_id, c.account_id,"
            + " c.dialed, c.normalized, c.call_class, c.started_at, c.callee_answered_at, c.accepted_at, c.ended_at,"
            + " c.billed_seconds, c.charge_cents, c.disposition, c.deny_reason, c.recording_file, c.repaired";
    private static final String BLOCK_COLS = "id, number, scope, facility_id, origin, created_at, lifted_at, note";

    /** Constraint names of the schema, mapped to the field a violation is reported under. */
    private static final Map<String, String> CONSTRAINT_FIELDS = constraintFields();

    private final HikariDataSource dataSource;
    private final String nodeId;
    private final RateCaps caps;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    private final CreditControl credit = new JdbcCreditControl();

    private volatile StoreObserver observer = StoreObserver.NONE;

    JdbcPolicyStore(HikariDataSource dataSource, String nodeId, RateCaps caps) {
        this.dataSource = Objects.requireNonNull(dataSource);
        this.nodeId = Objects.requireNonNull(nodeId);
        this.caps = Objects.requireNonNull(caps);
    }

    /** The node id whose reservations this store holds. */
    public String nodeId() {
        return nodeId;
    }

    // ---------------------------------------------------------------- transactions

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Sets who hears the duration of each read and write (metrics). */
    public void observe(StoreObserver value) {
        this.observer = java.util.Objects.requireNonNull(value);
    }

    /** Runs a read on the connection of the enclosing {@link #atomically} call, or a pooled one. */
    private <T> T read(Work<T> work) {
        Connection c = bound.get();
        long start = System.nanoTime();
        boolean failed = true;
        try {
            T result;
            if (c != null) {
                result = work.run(c);
            } else {
                try (Connection pooled = dataSource.getConnection()) {
                    result = work.run(pooled);
                }
            }
            failed = false;
            return result;
        } catch (SQLException e) {
            throw translate(e);
        } finally {
            observer.observe("read", System.nanoTime() - start, failed);
        }
    }

    /** Runs a write as one transaction, or as part of the enclosing {@link #atomically} call. */
    private <T> T write(Work<T> work) {
        long start = System.nanoTime();
        boolean failed = true;
        try {
            T result = writeUntimed(work);
            failed = false;
            return result;
        } finally {
            observer.observe("write", System.nanoTime() - start, failed);
        }
    }

    private <T> T writeUntimed(Work<T> work) {
        Connection outer = bound.get();
        if (outer != null) {
            try {
                return work.run(outer);
            } catch (SQLException e) {
                throw translate(e);
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    @Override
    public void atomically(Consumer<PolicyStore> work) {
        if (bound.get() != null) {
            work.accept(this);
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            bound.set(c);
            try {
                work.accept(this);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                bound.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static RuntimeException translate(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("23")) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            for (Map.Entry<String, String> m : CONSTRAINT_FIELDS.entrySet()) {
                if (message.contains(m.getKey())) {
                    ValidationException v = new ValidationException(m.getValue(), "refused by the store ("
                            + m.getKey() + ")");
                    v.initCause(e);
                    return v;
                }
            }
        }
        return new StoreException("store: " + e.getMessage(), e);
    }

    private static Map<String, String> constraintFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("uq_terminals_sip_username", "sip_username");
        m.put("uq_inmates_pin_index", "pin");
        m.put("fk_terminals_inmate", "assigned_inmate_id");
        m.put("uq_accounts_inmate", "inmate_id");
        m.put("fk_accounts_inmate", "inmate_id");
        m.put("fk_pin_failures_terminal", "terminal_id");
        m.put("fk_pin_failures_inmate", "inmate_id");
        m.put("fk_reservations_account", "account_id");
        m.put("fk_deposits_account", "account_id");
        m.put("ck_deposits_amount", "amount_cents");
        m.put("ck_accounts_available", "credit_limit_cents");
        m.put("ck_accounts_owed", "credit_limit_cents");
        m.put("ck_accounts_funds", "balance_cents");
        m.put("ck_rates_cents", "cents_per_minute");
        m.put("ck_rates_increment", "increment_seconds");
        m.put("_facility", "facility_id");
        return Map.copyOf(m);
    }

    // ---------------------------------------------------------------- facilities

    @Override
    public void saveFacility(Facility f) {
        checkId("id", f.id());
        notBlank("name", f.name());
        if (f.maxCallMinutes() < 1) {
            throw new ValidationException("max_call_minutes", "must be at least 1, got " + f.maxCallMinutes());
        }
        if (f.announcementIntervalSeconds() < 1) {
            throw new ValidationException("announcement_interval_seconds",
                    "must be at least 1, got " + f.announcementIntervalSeconds());
        }
        e164("ani", f.ani());
        notBlank("region", f.region());
        notBlank("state", f.state());
        for (int i = 0; i < f.localPrefixes().size(); i++) {
            if (!E164_PREFIX.matcher(f.localPrefixes().get(i)).matches()) {
                throw new ValidationException("local_prefixes[" + i + "]",
                        "'" + f.localPrefixes().get(i) + "' is not an E.164 prefix such as +1573");
            }
        }
        if (!f.accessCode().matches("[0-9*#]{1,8}")) {
            throw new ValidationException("access_code", "must be 1 to 8 keypad digits, got '" + f.accessCode() + "'");
        }
        if (f.pinLength() < 4 || f.pinLength() > 12) {
            throw new ValidationException("pin_length", "must be 4 to 12, got " + f.pinLength());
        }
        Column.FACILITIES_NAME.check(f.name());
        Column.FACILITIES_NAME_PROMPT.check(f.namePrompt());
        Column.FACILITIES_TIME_ZONE.check(f.timeZone().getId());
        Column.FACILITIES_CALLING_HOURS.check(f.callingHours().toString());
        Column.FACILITIES_REGION.check(f.region());
        Column.FACILITIES_STATE.check(f.state());
        Column.FACILITIES_LOCAL_PREFIXES.check(String.join(",", f.localPrefixes()));
        write(c -> {
            String set = "name = ?, name_prompt = ?, time_zone = ?, calling_hours = ?, max_call_minutes = ?,"
                    + " announcement_interval_seconds = ?, ani = ?, rate_tier = ?, digit_map = ?, lockdown = ?,"
                    + " region = ?, state = ?, local_prefixes = ?, access_code = ?, pin_length = ?,"
                    + " three_way_action = ?, international_allowed = ?";
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE facilities SET " + set + " WHERE id = ?")) {
                int i = bindFacility(ps, f, 1);
                ps.setString(i, f.id());
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO facilities (name, name_prompt, time_zone,"
                        + " calling_hours, max_call_minutes, announcement_interval_seconds, ani, rate_tier, digit_map,"
                        + " lockdown, region, state, local_prefixes, access_code, pin_length, three_way_action,"
                        + " international_allowed, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int i = bindFacility(ps, f, 1);
                    ps.setString(i, f.id());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static int bindFacility(PreparedStatement ps, Facility f, int i) throws SQLException {
        DigitMap d = f.digitMap();
        ps.setString(i++, f.name());
        setOpt(ps, i++, f.namePrompt());
        ps.setString(i++, f.timeZone().getId());
        ps.setString(i++, f.callingHours().toString());
        ps.setInt(i++, f.maxCallMinutes());
        ps.setInt(i++, f.announcementIntervalSeconds());
        ps.setString(i++, f.ani());
        ps.setString(i++, Wire.name(f.rateTier()));
        ps.setString(i++, "" + d.accept() + d.refuse() + d.block() + d.rate());
        ps.setBoolean(i++, f.lockdown());
        ps.setString(i++, f.region());
        ps.setString(i++, f.state());
        ps.setString(i++, String.join(",", f.localPrefixes()));
        ps.setString(i++, f.accessCode());
        ps.setInt(i++, f.pinLength());
        ps.setString(i++, Wire.name(f.threeWayAction()));
        ps.setBoolean(i++, f.internationalAllowed());
        return i;
    }

    @Override
    public Optional<Facility> facility(String facilityId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + FACILITY_COLS + " FROM facilities WHERE id = ?")) {
                ps.setString(1, facilityId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(facilityRow(rs)) : Optional.<Facility>empty();
                }
            }
        });
    }

    @Override
    public List<Facility> facilities() {
        return read(c -> {
            List<Facility> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + FACILITY_COLS + " FROM facilities ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(facilityRow(rs));
                }
            }
            return out;
        });
    }

    private static Facility facilityRow(ResultSet rs) throws SQLException {
        String digits = rs.getString("digit_map");
        String prefixes = rs.getString("local_prefixes");
        return new Facility(rs.getString("id"), rs.getString("name"), Optional.ofNullable(rs.getString("name_prompt")),
                ZoneId.of(rs.getString("time_zone")), CallingHours.parse(rs.getString("calling_hours")),
                rs.getInt("max_call_minutes"), rs.getInt("announcement_interval_seconds"), rs.getString("ani"),
                Wire.parse(RateTier.class, rs.getString("rate_tier")),
                new DigitMap(digits.charAt(0), digits.charAt(1), digits.charAt(2), digits.charAt(3)),
                rs.getBoolean("lockdown"), rs.getString("region"), rs.getString("state"),
                prefixes.isEmpty() ? List.of() : Arrays.asList(prefixes.split(",")), rs.getString("access_code"),
                rs.getInt("pin_length"), Wire.parse(ThreeWayAction.class, rs.getString("three_way_action")),
                rs.getBoolean("international_allowed"));
    }

    private static Facility requireFacility(Connection c, String field, String facilityId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + FACILITY_COLS + " FROM facilities WHERE id = ?")) {
            ps.setString(1, facilityId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ValidationException(field, "no facility '" + facilityId + "'");
                }
                return facilityRow(rs);
            }
        }
    }

    // ---------------------------------------------------------------- terminals

    @Override
    public void saveTerminal(Terminal t) {
        checkId("id", t.id());
        notBlank("sip_username", t.sipUsername());
        notBlank("sip_password", t.sipPassword());
        Column.TERMINALS_SIP_USERNAME.check(t.sipUsername());
        Column.TERMINALS_SIP_PASSWORD.check(t.sipPassword());
        Column.TERMINALS_FACILITY_ID.check(t.facilityId());
        Column.TERMINALS_ASSIGNED_INMATE_ID.check(t.assignedInmateId());
        write(c -> {
            requireFacility(c, "facility_id", t.facilityId());
            if (t.assignedInmateId().isPresent()) {
                String inmateFacility = inmateFacility(c, t.assignedInmateId().get())
                        .orElseThrow(() -> new ValidationException("assigned_inmate_id",
                                "no inmate '" + t.assignedInmateId().get() + "'"));
                if (!inmateFacility.equals(t.facilityId())) {
                    throw new ValidationException("assigned_inmate_id", "inmate '" + t.assignedInmateId().get()
                            + "' is in facility '" + inmateFacility + "', not '" + t.facilityId() + "'");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM terminals WHERE sip_username = ? AND id <> ?")) {
                ps.setString(1, t.sipUsername());
                ps.setString(2, t.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new ValidationException("sip_username",
                                "'" + t.sipUsername() + "' is already used by terminal '" + rs.getString(1) + "'");
                    }
                }
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE terminals SET facility_id = ?, sip_username = ?,"
                    + " sip_password = ?, kind = ?, enabled = ?, assigned_inmate_id = ? WHERE id = ?")) {
                bindTerminal(ps, t);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO terminals (facility_id, sip_username,"
                        + " sip_password, kind, enabled, assigned_inmate_id, id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    bindTerminal(ps, t);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void bindTerminal(PreparedStatement ps, Terminal t) throws SQLException {
        ps.setString(1, t.facilityId());
        ps.setString(2, t.sipUsername());
        ps.setString(3, t.sipPassword());
        ps.setString(4, Wire.name(t.kind()));
        ps.setBoolean(5, t.enabled());
        setOpt(ps, 6, t.assignedInmateId());
        ps.setString(7, t.id());
    }

    @Override
    public Optional<Terminal> terminalByUsername(String sipUsername) {
        return oneTerminal("sip_username", sipUsername);
    }

    @Override
    public Optional<Terminal> terminal(String terminalId) {
        return oneTerminal("id", terminalId);
    }

    private Optional<Terminal> oneTerminal(String column, String value) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TERMINAL_COLS + " FROM terminals WHERE "
                    + column + " = ?")) {
                ps.setString(1, value);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(terminalRow(rs)) : Optional.<Terminal>empty();
                }
            }
        });
    }

    @Override
    public List<Terminal> terminals(Optional<String> facilityId) {
        return read(c -> {
            String sql = "SELECT " + TERMINAL_COLS + " FROM terminals"
                    + (facilityId.isPresent() ? " WHERE facility_id = ?" : "") + " ORDER BY id";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (facilityId.isPresent()) {
                    ps.setString(1, facilityId.get());
                }
                List<Terminal> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(terminalRow(rs));
                    }
                }
                return out;
            }
        });
    }

    private static Terminal terminalRow(ResultSet rs) throws SQLException {
        return new Terminal(rs.getString("id"), rs.getString("facility_id"), rs.getString("sip_username"),
                rs.getString("sip_password"), Wire.parse(TerminalKind.class, rs.getString("kind")),
                rs.getBoolean("enabled"), Optional.ofNullable(rs.getString("assigned_inmate_id")));
    }

    // ---------------------------------------------------------------- inmates

    @Override
    public void saveInmate(Inmate m) {
        checkId("id", m.id());
        notBlank("name", m.name());
        notBlank("pin", m.pinHash());
        notBlank("pin", m.pinIndex());
        notBlank("language", m.language());
        if (m.callsPerDay() < 0) {
            throw new ValidationException("calls_per_day", "must not be negative, got " + m.callsPerDay());
        }
        Column.INMATES_FACILITY_ID.check(m.facilityId());
        Column.INMATES_NAME.check(m.name());
        Column.INMATES_NAME_RECORDING.check(m.nameRecording());
        Column.INMATES_PIN_HASH.check("pin", m.pinHash());
        Column.INMATES_PIN_INDEX.check("pin", m.pinIndex());
        Column.INMATES_LANGUAGE.check(m.language());
        distinctNumbers("allowed_numbers", m.allowedNumbers());
        write(c -> {
            requireFacility(c, "facility_id", m.facilityId());
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id FROM inmates WHERE facility_id = ? AND pin_index = ? AND id <> ?")) {
                ps.setString(1, m.facilityId());
                ps.setString(2, m.pinIndex());
                ps.setString(3, m.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new ValidationException("pin", "another inmate of facility '" + m.facilityId()
                                + "' has this PIN");
                    }
                }
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE inmates SET facility_id = ?, name = ?,"
                    + " name_recording = ?, pin_hash = ?, pin_index = ?, status = ?, language = ?, calls_per_day = ?,"
                    + " pan_enforced = ? WHERE id = ?")) {
                bindInmate(ps, m);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO inmates (facility_id, name, name_recording,"
                        + " pin_hash, pin_index, status, language, calls_per_day, pan_enforced, id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bindInmate(ps, m);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM inmate_allowed_numbers WHERE inmate_id = ?")) {
                    ps.setString(1, m.id());
                    ps.executeUpdate();
                }
            }
            insertNumbers(c, "INSERT INTO inmate_allowed_numbers (inmate_id, number) VALUES (?, ?)", m.id(),
                    m.allowedNumbers());
            return null;
        });
    }

    private static void bindInmate(PreparedStatement ps, Inmate m) throws SQLException {
        ps.setString(1, m.facilityId());
        ps.setString(2, m.name());
        setOpt(ps, 3, m.nameRecording());
        ps.setString(4, m.pinHash());
        ps.setString(5, m.pinIndex());
        ps.setString(6, Wire.name(m.status()));
        ps.setString(7, m.language());
        ps.setInt(8, m.callsPerDay());
        ps.setBoolean(9, m.panEnforced());
        ps.setString(10, m.id());
    }

    private static void insertNumbers(Connection c, String sql, String owner, List<String> numbers) throws SQLException {
        if (numbers.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String number : numbers) {
                ps.setString(1, owner);
                ps.setString(2, number);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Optional<String> inmateFacility(Connection c, String inmateId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT facility_id FROM inmates WHERE id = ?")) {
            ps.setString(1, inmateId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<Inmate> inmate(String inmateId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(INMATE_SELECT + " WHERE i.id = ? ORDER BY n.number")) {
                ps.setString(1, inmateId);
                return inmateRows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public Optional<Inmate> inmateByPinIndex(String facilityId, String pinIndex) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(INMATE_SELECT
                    + " WHERE i.facility_id = ? AND i.pin_index = ? ORDER BY n.number")) {
                ps.setString(1, facilityId);
                ps.setString(2, pinIndex);
                return inmateRows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<Inmate> inmates(Optional<String> facilityId) {
        return read(c -> {
            String sql = INMATE_SELECT + (facilityId.isPresent() ? " WHERE i.facility_id = ?" : "")
                    + " ORDER BY i.id, n.number";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                if (facilityId.isPresent()) {
                    ps.setString(1, facilityId.get());
                }
                return inmateRows(ps);
            }
        });
    }

    /** Reads the scalar columns of one joined row. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Folds joined rows (the parent's columns, then one child {@code number} per row, ordered by
     * parent id) into parents with their number lists.
     */
    private static <T, R> List<R> foldNumbers(PreparedStatement ps, RowReader<T> head,
                                              BiFunction<T, List<String>, R> complete) throws SQLException {
        List<R> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            String current = null;
            T parent = null;
            List<String> numbers = new ArrayList<>();
            while (rs.next()) {
                String id = rs.getString("id");
                if (!id.equals(current)) {
                    if (parent != null) {
                        out.add(complete.apply(parent, numbers));
                    }
                    current = id;
                    parent = head.read(rs);
                    numbers = new ArrayList<>();
                }
                String n = rs.getString("number");
                if (n != null) {
                    numbers.add(n);
                }
            }
            if (parent != null) {
                out.add(complete.apply(parent, numbers));
            }
        }
        return out;
    }

    /** Inmates from joined rows (one per allowed number, ordered by inmate). */
    private static List<Inmate> inmateRows(PreparedStatement ps) throws SQLException {
        return foldNumbers(ps, rs -> new Inmate(rs.getString("id"), rs.getString("facility_id"), rs.getString("name"),
                        Optional.ofNullable(rs.getString("name_recording")), rs.getString("pin_hash"),
                        rs.getString("pin_index"), Wire.parse(InmateStatus.class, rs.getString("status")),
                        rs.getString("language"), rs.getInt("calls_per_day"), rs.getBoolean("pan_enforced"),
                        List.of()),
                (m, numbers) -> new Inmate(m.id(), m.facilityId(), m.name(), m.nameRecording(), m.pinHash(),
                        m.pinIndex(), m.status(), m.language(), m.callsPerDay(), m.panEnforced(), numbers));
    }

    /** Accounts from joined rows (one per billing number, ordered by account). */
    private static List<Account> accountRows(PreparedStatement ps) throws SQLException {
        return foldNumbers(ps, rs -> new Account(rs.getString("id"),
                        Wire.parse(AccountType.class, rs.getString("type")), rs.getString("owner_name"),
                        Optional.ofNullable(rs.getString("inmate_id")), List.of(), rs.getLong("balance_cents"),
                        rs.getLong("credit_limit_cents"), rs.getLong("reserved_cents")),
                (a, numbers) -> new Account(a.id(), a.type(), a.ownerName(), a.inmateId(), numbers, a.balanceCents(),
                        a.creditLimitCents(), a.reservedCents()));
    }

    // ---------------------------------------------------------------- accounts and deposits

    @Override
    public void saveAccount(Account a) {
        checkId("id", a.id());
        notBlank("owner_name", a.ownerName());
        Column.ACCOUNTS_OWNER_NAME.check(a.ownerName());
        Column.ACCOUNTS_INMATE_ID.check(a.inmateId());
        distinctNumbers("billing_numbers", a.billingNumbers());
        switch (a.type()) {
            case DEBIT -> {
                if (a.inmateId().isEmpty()) {
                    throw new ValidationException("inmate_id", "a debit account needs the inmate whose funds it holds");
                }
                if (!a.billingNumbers().isEmpty()) {
                    throw new ValidationException("billing_numbers", "a debit account has no billing numbers");
                }
            }
            case PREPAID, DIRECT_BILL -> {
                if (a.inmateId().isPresent()) {
                    throw new ValidationException("inmate_id", "only a debit account belongs to an inmate");
                }
                if (a.billingNumbers().isEmpty()) {
                    throw new ValidationException("billing_numbers", "at least one billing number is needed");
                }
            }
        }
        if (a.creditLimitCents() < 0) {
            throw new ValidationException("credit_limit_cents", "must not be negative, got " + a.creditLimitCents());
        }
        if (a.type() != AccountType.DIRECT_BILL && a.creditLimitCents() != 0) {
            throw new ValidationException("credit_limit_cents", "only a direct-bill account has a credit limit");
        }
        write(c -> {
            if (a.inmateId().isPresent() && inmateFacility(c, a.inmateId().get()).isEmpty()) {
                throw new ValidationException("inmate_id", "no inmate '" + a.inmateId().get() + "'");
            }
            Optional<AccountType> existing = Optional.empty();
            try (PreparedStatement ps = c.prepareStatement("SELECT type FROM accounts WHERE id = ?")) {
                ps.setString(1, a.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        existing = Optional.of(Wire.parse(AccountType.class, rs.getString(1)));
                    }
                }
            }
            if (existing.isPresent()) {
                if (existing.get() != a.type()) {
                    throw new ValidationException("type", "an account's type cannot change (it is "
                            + Wire.name(existing.get()) + ")");
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET owner_name = ?, inmate_id = ?,"
                        + " credit_limit_cents = ? WHERE id = ? AND (type <> 'direct_bill'"
                        + " OR ? - balance_cents - reserved_cents >= 0)")) {
                    ps.setString(1, a.ownerName());
                    setOpt(ps, 2, a.inmateId());
                    ps.setLong(3, a.creditLimitCents());
                    ps.setString(4, a.id());
                    ps.setLong(5, a.creditLimitCents());
                    if (ps.executeUpdate() == 0) {
                        throw new ValidationException("credit_limit_cents",
                                "below what the account owes and holds for calls in progress");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM account_billing_numbers WHERE account_id = ?")) {
                    ps.setString(1, a.id());
                    ps.executeUpdate();
                }
            } else {
                if (a.reservedCents() != 0) {
                    throw new ValidationException("reserved_cents", "a new account holds nothing for calls");
                }
                if (a.balanceCents() < 0) {
                    throw new ValidationException("balance_cents", "an opening balance must not be negative");
                }
                if (a.type() == AccountType.DIRECT_BILL && a.balanceCents() > a.creditLimitCents()) {
                    throw new ValidationException("balance_cents", "owes more than the credit limit");
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO accounts (id, type, owner_name, inmate_id,"
                        + " balance_cents, credit_limit_cents, reserved_cents) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                    ps.setString(1, a.id());
                    ps.setString(2, Wire.name(a.type()));
                    ps.setString(3, a.ownerName());
                    setOpt(ps, 4, a.inmateId());
                    ps.setLong(5, a.balanceCents());
                    ps.setLong(6, a.creditLimitCents());
                    ps.executeUpdate();
                }
            }
            insertNumbers(c, "INSERT INTO account_billing_numbers (account_id, number) VALUES (?, ?)", a.id(),
                    a.billingNumbers());
            return null;
        });
    }

    @Override
    public Optional<Account> account(String accountId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ACCOUNT_SELECT + " WHERE a.id = ? ORDER BY b.number")) {
                ps.setString(1, accountId);
                return accountRows(ps).stream().findFirst();
            }
        });
    }

    @Override
    public List<Account> accounts() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ACCOUNT_SELECT + " ORDER BY a.id, b.number")) {
                return accountRows(ps);
            }
        });
    }

    @Override
    public List<Account> accountsForNumber(String e164) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.type, a.owner_name, a.inmate_id,"
                    + " a.balance_cents, a.credit_limit_cents, a.reserved_cents, b.number"
                    + " FROM account_billing_numbers m JOIN accounts a ON a.id = m.account_id"
                    + " LEFT JOIN account_billing_numbers b ON b.account_id = a.id"
                    + " WHERE m.number = ? ORDER BY a.id, b.number")) {
                ps.setString(1, e164);
                return accountRows(ps);
            }
        });
    }

    @Override
    public Optional<Account> debitAccount(String inmateId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ACCOUNT_SELECT
                    + " WHERE a.inmate_id = ? AND a.type = 'debit' ORDER BY b.number")) {
                ps.setString(1, inmateId);
                return accountRows(ps).stream().findFirst();
            }
        });
    }


    @Override
    public Deposit deposit(String accountId, long amountCents, String reference, Instant at) {
        Column.DEPOSITS_REFERENCE.check(reference);
        Column.DEPOSITS_ACCOUNT_ID.check(accountId);
        if (amountCents <= 0) {
            throw new ValidationException("amount_cents", "must be positive, got " + amountCents);
        }
        if (amountCents > Deposit.MAX_CENTS) {
            throw new ValidationException("amount_cents", "at most " + Deposit.MAX_CENTS + " cents ($50.00) per deposit, got "
                    + amountCents);
        }
        Instant when = micros(at);
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT type FROM accounts WHERE id = ?")) {
                ps.setString(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new ValidationException("account_id", "no account '" + accountId + "'");
                    }
                    if (rs.getString(1).equals(Wire.name(AccountType.DIRECT_BILL))) {
                        throw new ValidationException("account_id", "a direct-bill account takes no deposits");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET balance_cents = balance_cents + ?"
                    + " WHERE id = ? AND type <> 'direct_bill'")) {
                ps.setLong(1, amountCents);
                ps.setString(2, accountId);
                if (ps.executeUpdate() != 1) {
                    throw new ValidationException("account_id", "no prepaid or debit account '" + accountId + "'");
                }
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO deposits (account_id, amount_cents, at, reference)"
                    + " VALUES (?, ?, ?, ?)", new String[] {"id"})) {
                ps.setString(1, accountId);
                ps.setLong(2, amountCents);
                setTime(ps, 3, when);
                ps.setString(4, reference);
                ps.executeUpdate();
                id = generatedId(ps);
            }
            return new Deposit(id, accountId, amountCents, when, reference);
        });
    }

    @Override
    public List<Deposit> deposits(String accountId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, account_id, amount_cents, at, reference"
                    + " FROM deposits WHERE account_id = ? ORDER BY at, id")) {
                ps.setString(1, accountId);
                List<Deposit> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Deposit(rs.getLong("id"), rs.getString("account_id"), rs.getLong("amount_cents"),
                                time(rs, "at"), rs.getString("reference")));
                    }
                }
                return out;
            }
        });
    }

    // ---------------------------------------------------------------- blocks and privileged numbers

    @Override
    public Block addBlock(String e164, BlockScope scope, Optional<String> facilityId, BlockOrigin origin, Instant at,
                          String note) {
        e164("number", e164);
        Column.BLOCKS_NOTE.check(note);
        Column.BLOCKS_FACILITY_ID.check(facilityId);
        if (scope == BlockScope.FACILITY && facilityId.isEmpty()) {
            throw new ValidationException("facility_id", "a facility block needs its facility");
        }
        if (scope == BlockScope.ALL && facilityId.isPresent()) {
            throw new ValidationException("facility_id", "a block on all facilities names none");
        }
        Instant when = micros(at);
        return write(c -> {
            if (facilityId.isPresent()) {
                requireFacility(c, "facility_id", facilityId.get());
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO blocks (number, scope, facility_id, origin,"
                    + " created_at, lifted_at, note) VALUES (?, ?, ?, ?, ?, NULL, ?)", new String[] {"id"})) {
                ps.setString(1, e164);
                ps.setString(2, Wire.name(scope));
                setOpt(ps, 3, facilityId);
                ps.setString(4, Wire.name(origin));
                setTime(ps, 5, when);
                ps.setString(6, note);
                ps.executeUpdate();
                return new Block(generatedId(ps), e164, scope, facilityId, origin, when, Optional.empty(), note);
            }
        });
    }

    @Override
    public boolean liftBlock(long blockId, Instant at) {
        Instant when = micros(at);
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE blocks SET lifted_at = ? WHERE id = ? AND lifted_at IS NULL")) {
                setTime(ps, 1, when);
                ps.setLong(2, blockId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public List<Block> blocks(boolean includeLifted) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + BLOCK_COLS + " FROM blocks"
                    + (includeLifted ? "" : " WHERE lifted_at IS NULL") + " ORDER BY id")) {
                List<Block> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Block(rs.getLong("id"), rs.getString("number"),
                                Wire.parse(BlockScope.class, rs.getString("scope")),
                                Optional.ofNullable(rs.getString("facility_id")),
                                Wire.parse(BlockOrigin.class, rs.getString("origin")), time(rs, "created_at"),
                                optTime(rs, "lifted_at"), rs.getString("note")));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public boolean isBlocked(String e164, String facilityId, Instant at) {
        Instant when = micros(at);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM blocks WHERE number = ?"
                    + " AND (scope = 'all' OR facility_id = ?) AND created_at <= ?"
                    + " AND (lifted_at IS NULL OR lifted_at > ?) FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, e164);
                ps.setString(2, facilityId);
                setTime(ps, 3, when);
                setTime(ps, 4, when);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Saves a privileged number; one per number and facility (or all facilities), replacing its label. */
    @Override
    public void savePrivilegedNumber(PrivilegedNumber p) {
        e164("number", p.number());
        Column.PRIVILEGED_NUMBERS_LABEL.check(p.label());
        Column.PRIVILEGED_NUMBERS_FACILITY_ID.check(p.facilityId());
        write(c -> {
            if (p.facilityId().isPresent()) {
                requireFacility(c, "facility_id", p.facilityId().get());
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM privileged_numbers WHERE number = ? AND "
                    + (p.facilityId().isPresent() ? "facility_id = ?" : "facility_id IS NULL"))) {
                ps.setString(1, p.number());
                if (p.facilityId().isPresent()) {
                    ps.setString(2, p.facilityId().get());
                }
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO privileged_numbers (number, facility_id, label) VALUES (?, ?, ?)")) {
                ps.setString(1, p.number());
                setOpt(ps, 2, p.facilityId());
                ps.setString(3, p.label());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<PrivilegedNumber> privilegedNumbers() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT number, facility_id, label FROM privileged_numbers ORDER BY number, facility_id");
                 ResultSet rs = ps.executeQuery()) {
                List<PrivilegedNumber> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(privilegedRow(rs));
                }
                return out;
            }
        });
    }

    /** The facility's own entry for the number wins over one for all facilities. */
    @Override
    public Optional<PrivilegedNumber> privilegedNumber(String e164, String facilityId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT number, facility_id, label FROM privileged_numbers"
                    + " WHERE number = ? AND (facility_id = ? OR facility_id IS NULL)"
                    + " ORDER BY facility_id FETCH FIRST 1 ROWS ONLY")) {
                ps.setString(1, e164);
                ps.setString(2, facilityId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(privilegedRow(rs)) : Optional.<PrivilegedNumber>empty();
                }
            }
        });
    }

    private static PrivilegedNumber privilegedRow(ResultSet rs) throws SQLException {
        return new PrivilegedNumber(rs.getString("number"), Optional.ofNullable(rs.getString("facility_id")),
                rs.getString("label"));
    }

    // ---------------------------------------------------------------- rates

    @Override
    public void saveRate(Rate r, Instant at) {
        Objects.requireNonNull(r.callClass(), "call_class");
        if (r.centsPerMinute() < 0) {
            throw new ValidationException("cents_per_minute", "must not be negative, got " + r.centsPerMinute());
        }
        if (r.incrementSeconds() < 1 || r.incrementSeconds() > 60) {
            throw new ValidationException("increment_seconds", "must be 1 to 60, got " + r.incrementSeconds());
        }
        write(c -> {
            Facility f = requireFacility(c, "facility_id", r.facilityId());
            LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
            int cap = caps.capCents(f.rateTier(), r.callClass(), day);
            if (r.centsPerMinute() > cap) {
                throw new ValidationException("cents_per_minute", r.centsPerMinute() + " is above the cap of " + cap
                        + " cents per minute for " + Wire.name(f.rateTier()) + " " + r.callClass().wireName()
                        + " calls on " + day);
            }
            if (r.centsPerIncrement() * 60 > (long) cap * r.incrementSeconds()) {
                throw new ValidationException("increment_seconds", "an increment of " + r.incrementSeconds()
                        + " s at " + r.centsPerMinute() + " cents per minute costs " + r.centsPerIncrement()
                        + " cents once rounded up, above the cap of " + cap + " cents per minute");
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE rates SET cents_per_minute = ?, increment_seconds = ?"
                    + " WHERE facility_id = ? AND call_class = ?")) {
                bindRate(ps, r);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO rates (cents_per_minute, increment_seconds,"
                        + " facility_id, call_class) VALUES (?, ?, ?, ?)")) {
                    bindRate(ps, r);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    private static void bindRate(PreparedStatement ps, Rate r) throws SQLException {
        ps.setInt(1, r.centsPerMinute());
        ps.setInt(2, r.incrementSeconds());
        ps.setString(3, r.facilityId());
        ps.setString(4, r.callClass().wireName());
    }

    @Override
    public Optional<Rate> rate(String facilityId, CallClass callClass) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT facility_id, call_class, cents_per_minute,"
                    + " increment_seconds FROM rates WHERE facility_id = ? AND call_class = ?")) {
                ps.setString(1, facilityId);
                ps.setString(2, callClass.wireName());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rateRow(rs)) : Optional.<Rate>empty();
                }
            }
        });
    }

    @Override
    public List<Rate> rates(String facilityId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT facility_id, call_class, cents_per_minute,"
                    + " increment_seconds FROM rates WHERE facility_id = ?")) {
                ps.setString(1, facilityId);
                List<Rate> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rateRow(rs));
                    }
                }
                out.sort((x, y) -> x.callClass().compareTo(y.callClass()));
                return out;
            }
        });
    }

    private static Rate rateRow(ResultSet rs) throws SQLException {
        return new Rate(rs.getString("facility_id"), Wire.parse(CallClass.class, rs.getString("call_class")),
                rs.getInt("cents_per_minute"), rs.getInt("increment_seconds"));
    }

    // ---------------------------------------------------------------- PIN failures

    @Override
    public void recordPinFailure(String terminalId, Optional<String> inmateId, Instant at) {
        Column.PIN_FAILURES_TERMINAL_ID.check(terminalId);
        Column.PIN_FAILURES_INMATE_ID.check(inmateId);
        Instant when = micros(at);
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO pin_failures (terminal_id, inmate_id, at) VALUES (?, ?, ?)")) {
                ps.setString(1, terminalId);
                setOpt(ps, 2, inmateId);
                setTime(ps, 3, when);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Instant> terminalPinFailuresSince(String terminalId, Instant since) {
        return pinFailures("terminal_id", terminalId, since);
    }

    @Override
    public List<Instant> inmatePinFailuresSince(String inmateId, Instant since) {
        return pinFailures("inmate_id", inmateId, since);
    }

    private List<Instant> pinFailures(String column, String id, Instant since) {
        Instant from = micros(since);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT at FROM pin_failures WHERE " + column
                    + " = ? AND at >= ? ORDER BY at")) {
                ps.setString(1, id);
                setTime(ps, 2, from);
                List<Instant> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(time(rs, "at"));
                    }
                }
                return out;
            }
        });
    }

    // ---------------------------------------------------------------- call records

    @Override
    public int acceptedCallsSince(String inmateId, Instant since) {
        Instant from = micros(since);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM call_records"
                    + " WHERE inmate_id = ? AND started_at >= ? AND accepted_at IS NOT NULL")) {
                ps.setString(1, inmateId);
                setTime(ps, 2, from);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * Saves a CDR; saving one with the same call id again replaces it (a settlement retried).
     * Every string is checked against its column first: one that does not fit is refused with
     * the field named, nothing written (a caller may save {@link Repairs#callRecord} instead).
     */
    @Override
    public void saveCallRecord(CallRecord r) {
        notBlank("call_id", r.callId());
        Column.CALL_RECORDS_CALL_ID.check(r.callId());
        Column.CALL_RECORDS_FACILITY_ID.check(r.facilityId());
        Column.CALL_RECORDS_TERMINAL_ID.check(r.terminalId());
        Column.CALL_RECORDS_INMATE_ID.check(r.inmateId());
        Column.CALL_RECORDS_ACCOUNT_ID.check(r.accountId());
        Column.CALL_RECORDS_DIALED.check(r.dialed());
        Column.CALL_RECORDS_NORMALIZED.check(r.normalized());
        Column.CALL_RECORDS_RECORDING_FILE.check(r.recordingFile());
        for (int i = 0; i < r.threeWayDetections().size(); i++) {
            Column.THREE_WAY_DETECTIONS_SIGNAL.check("three_way_detections[" + i + "].signal",
                    r.threeWayDetections().get(i).signal());
        }
        if (r.billedSeconds() < 0) {
            throw new ValidationException("billed_seconds", "must not be negative");
        }
        if (r.chargeCents() < 0) {
            throw new ValidationException("charge_cents", "must not be negative");
        }
        write(c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE call_records SET facility_id = ?, terminal_id = ?,"
                    + " inmate_id = ?, account_id = ?, dialed = ?, normalized = ?, call_class = ?, started_at = ?,"
                    + " callee_answered_at = ?, accepted_at = ?, ended_at = ?, billed_seconds = ?, charge_cents = ?,"
                    + " disposition = ?, deny_reason = ?, recording_file = ?, repaired = ? WHERE call_id = ?")) {
                bindCdr(ps, r);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO call_records (facility_id, terminal_id,"
                        + " inmate_id, account_id, dialed, normalized, call_class, started_at, callee_answered_at,"
                        + " accepted_at, ended_at, billed_seconds, charge_cents, disposition, deny_reason,"
                        + " recording_file, repaired, call_id)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bindCdr(ps, r);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM three_way_detections WHERE call_id = ?")) {
                    ps.setString(1, r.callId());
                    ps.executeUpdate();
                }
            }
            if (!r.threeWayDetections().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO three_way_detections (call_id, seq, signal,"
                        + " at, action) VALUES (?, ?, ?, ?, ?)")) {
                    int seq = 0;
                    for (ThreeWayDetection d : r.threeWayDetections()) {
                        ps.setString(1, r.callId());
                        ps.setInt(2, seq++);
                        ps.setString(3, d.signal());
                        setTime(ps, 4, micros(d.at()));
                        ps.setString(5, Wire.name(d.action()));
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return null;
        });
    }

    private static void bindCdr(PreparedStatement ps, CallRecord r) throws SQLException {
        setOpt(ps, 1, r.facilityId());
        setOpt(ps, 2, r.terminalId());
        setOpt(ps, 3, r.inmateId());
        setOpt(ps, 4, r.accountId());
        ps.setString(5, r.dialed());
        setOpt(ps, 6, r.normalized());
        setOpt(ps, 7, r.callClass().map(CallClass::wireName));
        setTime(ps, 8, micros(r.startedAt()));
        setOptTime(ps, 9, r.calleeAnsweredAt());
        setOptTime(ps, 10, r.acceptedAt());
        setTime(ps, 11, micros(r.endedAt()));
        ps.setLong(12, r.billedSeconds());
        ps.setLong(13, r.chargeCents());
        ps.setString(14, r.disposition().wireName());
        setOpt(ps, 15, r.denyReason().map(DenyReason::wireName));
        setOpt(ps, 16, r.recordingFile());
        ps.setBoolean(17, r.repaired());
        ps.setString(18, r.callId());
    }

    @Override
    public Optional<CallRecord> callRecord(String callId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CDR_COLS + ", d.signal, d.at, d.action"
                    + " FROM call_records c LEFT JOIN three_way_detections d ON d.call_id = c.call_id"
                    + " WHERE c.call_id = ? ORDER BY d.seq")) {
                ps.setString(1, callId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<CallRecord>empty();
                    }
                    List<ThreeWayDetection> detections = new ArrayList<>();
                    CallRecord head = cdrRow(rs, List.of());
                    do {
                        if (rs.getString("signal") != null) {
                            detections.add(detectionRow(rs));
                        }
                    } while (rs.next());
                    return Optional.of(withDetections(head, detections));
                }
            }
        });
    }

    /**
     * Call records matching the query, newest first ({@code started_at} descending, then call id):
     * {@code from} inclusive, {@code to} exclusive, {@code number} matching the dialed or the
     * normalised number.
     */
    @Override
    public List<CallRecord> callRecords(CdrQuery q) {
        page(q.offset(), q.limit());
        StringBuilder sql = new StringBuilder("SELECT " + CDR_COLS + " FROM call_records c WHERE 1 = 1");
        q.inmateId().ifPresent(x -> sql.append(" AND c.inmate_id = ?"));
        q.number().ifPresent(x -> sql.append(" AND (c.dialed = ? OR c.normalized = ?)"));
        q.from().ifPresent(x -> sql.append(" AND c.started_at >= ?"));
        q.to().ifPresent(x -> sql.append(" AND c.started_at < ?"));
        sql.append(" ORDER BY c.started_at DESC, c.call_id DESC LIMIT ? OFFSET ?");
        return read(c -> {
            List<CallRecord> page = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                if (q.inmateId().isPresent()) {
                    ps.setString(i++, q.inmateId().get());
                }
                if (q.number().isPresent()) {
                    ps.setString(i++, q.number().get());
                    ps.setString(i++, q.number().get());
                }
                if (q.from().isPresent()) {
                    setTime(ps, i++, micros(q.from().get()));
                }
                if (q.to().isPresent()) {
                    setTime(ps, i++, micros(q.to().get()));
                }
                ps.setInt(i++, q.limit());
                ps.setInt(i, q.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        page.add(cdrRow(rs, List.of()));
                    }
                }
            }
            if (page.isEmpty()) {
                return page;
            }
            Map<String, List<ThreeWayDetection>> detections = new LinkedHashMap<>();
            String marks = String.join(", ", java.util.Collections.nCopies(page.size(), "?"));
            try (PreparedStatement ps = c.prepareStatement("SELECT call_id, signal, at, action FROM three_way_detections"
                    + " WHERE call_id IN (" + marks + ") ORDER BY call_id, seq")) {
                for (int i = 0; i < page.size(); i++) {
                    ps.setString(i + 1, page.get(i).callId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        detections.computeIfAbsent(rs.getString("call_id"), k -> new ArrayList<>()).add(detectionRow(rs));
                    }
                }
            }
            List<CallRecord> out = new ArrayList<>(page.size());
            for (CallRecord r : page) {
                out.add(withDetections(r, detections.getOrDefault(r.callId(), List.of())));
            }
            return out;
        });
    }

    private static CallRecord cdrRow(ResultSet rs, List<ThreeWayDetection> detections) throws SQLException {
        return new CallRecord(rs.getString("call_id"), Optional.ofNullable(rs.getString("facility_id")),
                Optional.ofNullable(rs.getString("terminal_id")), Optional.ofNullable(rs.getString("inmate_id")),
                Optional.ofNullable(rs.getString("account_id")), rs.getString("dialed"),
                Optional.ofNullable(rs.getString("normalized")),
                Optional.ofNullable(rs.getString("call_class")).map(v -> Wire.parse(CallClass.class, v)),
                time(rs, "started_at"), optTime(rs, "callee_answered_at"), optTime(rs, "accepted_at"),
                time(rs, "ended_at"), rs.getLong("billed_seconds"), rs.getLong("charge_cents"),
                Wire.parse(Disposition.class, rs.getString("disposition")),
                Optional.ofNullable(rs.getString("deny_reason")).map(v -> Wire.parse(DenyReason.class, v)),
                detections, Optional.ofNullable(rs.getString("recording_file")), rs.getBoolean("repaired"));
    }

    private static ThreeWayDetection detectionRow(ResultSet rs) throws SQLException {
        return new ThreeWayDetection(rs.getString("signal"), time(rs, "at"),
                Wire.parse(ThreeWayAction.class, rs.getString("action")));
    }

    private static CallRecord withDetections(CallRecord r, List<ThreeWayDetection> d) {
        return new CallRecord(r.callId(), r.facilityId(), r.terminalId(), r.inmateId(), r.accountId(), r.dialed(),
                r.normalized(), r.callClass(), r.startedAt(), r.calleeAnsweredAt(), r.acceptedAt(), r.endedAt(),
                r.billedSeconds(), r.chargeCents(), r.disposition(), r.denyReason(), d, r.recordingFile(), r.repaired());
    }

    // ---------------------------------------------------------------- credit control

    @Override
    public CreditControl credit() {
        return credit;
    }

    /**
     * Reservations as single conditional UPDATEs. Under READ COMMITTED the UPDATE takes the
     * account's row lock and (PostgreSQL's EvalPlanQual, H2's re-read of the locked row) checks
     * its condition against the latest committed balance, so concurrent reservations queue on
     * the row and none can take money another already holds.
     */
    private final class JdbcCreditControl implements CreditControl {

        @Override
        public Optional<Reservation> reserve(String accountId, String callId, long cents, Instant at) {
            if (cents <= 0) {
                throw new IllegalArgumentException("a reservation must be positive, got " + cents);
            }
            Column.RESERVATIONS_ACCOUNT_ID.check(accountId);
            Column.RESERVATIONS_CALL_ID.check(callId);
            Instant when = micros(at);
            return write(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET reserved_cents = reserved_cents + ?"
                        + " WHERE id = ? AND " + AVAILABLE + " >= ?")) {
                    ps.setLong(1, cents);
                    ps.setString(2, accountId);
                    ps.setLong(3, cents);
                    if (ps.executeUpdate() == 0) {
                        return Optional.<Reservation>empty();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO reservations (account_id, call_id, node_id,"
                        + " cents, created_at) VALUES (?, ?, ?, ?, ?)", new String[] {"id"})) {
                    ps.setString(1, accountId);
                    ps.setString(2, callId);
                    ps.setString(3, nodeId);
                    ps.setLong(4, cents);
                    setTime(ps, 5, when);
                    ps.executeUpdate();
                    return Optional.of(new Reservation(generatedId(ps), accountId, callId, cents));
                }
            });
        }

        @Override
        public void commit(Reservation r, long usedCents, Instant at) {
            if (usedCents < 0 || usedCents > r.cents()) {
                throw new IllegalArgumentException("used " + usedCents + " cents of a reservation of " + r.cents());
            }
            settle(r, usedCents);
        }

        @Override
        public void release(Reservation r, Instant at) {
            settle(r, 0);
        }

        /** Deletes the reservation row (so a second settlement finds nothing) and moves the money. */
        private void settle(Reservation r, long used) {
            write(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM reservations WHERE id = ? AND account_id = ? AND cents = ?")) {
                    ps.setLong(1, r.id());
                    ps.setString(2, r.accountId());
                    ps.setLong(3, r.cents());
                    if (ps.executeUpdate() == 0) {
                        LOG.warn("reservation {} of call {} on account {} is already settled or was returned",
                                r.id(), r.callId(), r.accountId());
                        return null;
                    }
                }
                moveMoney(c, r.accountId(), r.cents(), used);
                return null;
            });
        }

        @Override
        public int releaseAbandoned() {
            return write(c -> {
                List<Reservation> held = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, account_id, call_id, cents FROM reservations WHERE node_id = ? ORDER BY id")) {
                    ps.setString(1, nodeId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            held.add(new Reservation(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                        }
                    }
                }
                int returned = 0;
                for (Reservation r : held) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM reservations WHERE id = ?")) {
                        ps.setLong(1, r.id());
                        if (ps.executeUpdate() == 0) {
                            continue;
                        }
                    }
                    moveMoney(c, r.accountId(), r.cents(), 0);
                    returned++;
                }
                return returned;
            });
        }

        private static void moveMoney(Connection c, String accountId, long reserved, long used) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("UPDATE accounts SET reserved_cents = reserved_cents - ?,"
                    + " balance_cents = CASE WHEN type = 'direct_bill' THEN balance_cents + ? ELSE balance_cents - ? END"
                    + " WHERE id = ?")) {
                ps.setLong(1, reserved);
                ps.setLong(2, used);
                ps.setLong(3, used);
                ps.setString(4, accountId);
                if (ps.executeUpdate() != 1) {
                    throw new StoreException("account " + accountId + " of a reservation is gone", null,
                            StoreException.Kind.REFUSED);
                }
            }
        }
    }

    // ---------------------------------------------------------------- audit log

    @Override
    public AuditEntry audit(String actor, String method, String path, Optional<String> entityId, Instant at) {
        notBlank("actor", actor);
        notBlank("method", method);
        notBlank("path", path);
        Objects.requireNonNull(entityId, "entity_id");
        Column.AUDIT_LOG_ACTOR.check(actor);
        Column.AUDIT_LOG_METHOD.check(method);
        Column.AUDIT_LOG_PATH.check(path);
        Column.AUDIT_LOG_ENTITY_ID.check(entityId);
        Instant when = micros(at);
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_log (at, actor, method, path, entity_id)"
                    + " VALUES (?, ?, ?, ?, ?)", new String[] {"id"})) {
                setTime(ps, 1, when);
                ps.setString(2, actor);
                ps.setString(3, method);
                ps.setString(4, path);
                setOpt(ps, 5, entityId);
                ps.executeUpdate();
                return new AuditEntry(generatedId(ps), when, actor, method, path, entityId);
            }
        });
    }

    @Override
    public List<AuditEntry> auditLog(int offset, int limit) {
        return newestFirst("SELECT id, at, actor, method, path, entity_id FROM audit_log", offset, limit,
                rs -> new AuditEntry(rs.getLong("id"), time(rs, "at"), rs.getString("actor"), rs.getString("method"),
                        rs.getString("path"), Optional.ofNullable(rs.getString("entity_id"))));
    }

    /** One page of a log table's rows ({@code select} without its ordering), newest first: at, then id. */
    private <T> List<T> newestFirst(String select, int offset, int limit, RowReader<T> row) {
        page(offset, limit);
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement(select + " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?")) {
                ps.setInt(1, limit);
                ps.setInt(2, offset);
                List<T> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row.read(rs));
                    }
                }
                return out;
            }
        });
    }

    // ---------------------------------------------------------------- writes set aside

    /**
     * Every string is cut to its column (nothing here may be refused for its data: it is the
     * last place a refused write can go).
     */
    @Override
    public RejectedWrite setAside(String callId, String kind, String reason, String content, Instant at) {
        RejectedWrite w = new RejectedWrite(0, micros(at), nodeId, Column.REJECTED_WRITES_CALL_ID.fit(callId),
                Column.REJECTED_WRITES_KIND.fit(kind), Column.REJECTED_WRITES_REASON.fit(reason),
                Column.REJECTED_WRITES_CONTENT.fit(content));
        return write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rejected_writes (at, node_id, call_id, kind,"
                    + " reason, content) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                setTime(ps, 1, w.at());
                ps.setString(2, w.nodeId());
                ps.setString(3, w.callId());
                ps.setString(4, w.kind());
                ps.setString(5, w.reason());
                ps.setString(6, w.content());
                ps.executeUpdate();
                return new RejectedWrite(generatedId(ps), w.at(), w.nodeId(), w.callId(), w.kind(), w.reason(),
                        w.content());
            }
        });
    }

    @Override
    public List<RejectedWrite> rejectedWrites(int offset, int limit) {
        return newestFirst("SELECT id, at, node_id, call_id, kind, reason, content FROM rejected_writes", offset, limit,
                rs -> new RejectedWrite(rs.getLong("id"), time(rs, "at"), rs.getString("node_id"),
                        rs.getString("call_id"), rs.getString("kind"), rs.getString("reason"), rs.getString("content")));
    }

    // ---------------------------------------------------------------- misc

    @Override
    public boolean reachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("store unreachable", e);
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    // ---------------------------------------------------------------- helpers

    private static Instant micros(Instant at) {
        return at.truncatedTo(ChronoUnit.MICROS);
    }

    private static void setTime(PreparedStatement ps, int i, Instant at) throws SQLException {
        ps.setObject(i, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
    }

    private static void setOptTime(PreparedStatement ps, int i, Optional<Instant> at) throws SQLException {
        if (at.isPresent()) {
            setTime(ps, i, micros(at.get()));
        } else {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    private static Instant time(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Optional<Instant> optTime(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    private static void setOpt(PreparedStatement ps, int i, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            ps.setString(i, value.get());
        } else {
            ps.setNull(i, Types.VARCHAR);
        }
    }

    private static long generatedId(Statement ps) throws SQLException {
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("no generated id");
            }
            return keys.getLong(1);
        }
    }

    private static void page(int offset, int limit) {
        if (offset < 0) {
            throw new ValidationException("offset", "must not be negative, got " + offset);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ValidationException("limit", "must be 1 to " + MAX_PAGE + ", got " + limit);
        }
    }

    private static void checkId(String field, String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ValidationException(field, "must be 1 to 64 letters, digits, '.', '_', ':' or '-', got '" + id + "'");
        }
    }

    private static void notBlank(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ValidationException(field, "must not be empty");
        }
    }

    private static void e164(String field, String number) {
        if (number == null || !E164.matcher(number).matches()) {
            throw new ValidationException(field, "'" + number + "' is not an E.164 number such as +15735550123");
        }
    }

    private static void distinctNumbers(String field, List<String> numbers) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < numbers.size(); i++) {
            e164(field + "[" + i + "]", numbers.get(i));
            if (!seen.add(numbers.get(i))) {
                throw new ValidationException(field + "[" + i + "]", "'" + numbers.get(i) + "' is listed twice");
            }
        }
    }
}
