package org.icgw.policy.store;

import java.util.Objects;
import java.util.Optional;
import org.icgw.policy.ValidationException;

/**
 * Every text column of the schema ({@code db/migration}) with its size: the one place the code
 * knows how long a stored string may be. The store checks each string it writes against its
 * column before the database sees it ({@link #check}), so a value the database would refuse
 * never reaches it; a repair cuts a string to its column ({@link #fit}). A storage test compares
 * this list with the columns the migrations create, on H2 and on PostgreSQL.
 *
 * <p>Length is counted in UTF-16 units ({@link String#length()}), never fewer than the characters
 * PostgreSQL and H2 count, so a string that fits here fits in both. NUL is refused: PostgreSQL
 * cannot store it in text (SQLState 22021) although H2 can, and the two must behave alike.
 */
public enum Column {
    FACILITIES_ID("facilities", "id", 64),
    FACILITIES_NAME("facilities", "name", 200),
    FACILITIES_NAME_PROMPT("facilities", "name_prompt", 500),
    FACILITIES_TIME_ZONE("facilities", "time_zone", 64),
    FACILITIES_CALLING_HOURS("facilities", "calling_hours", 500),
    FACILITIES_ANI("facilities", "ani", 16),
    FACILITIES_RATE_TIER("facilities", "rate_tier", 32),
    FACILITIES_DIGIT_MAP("facilities", "digit_map", 4),
    FACILITIES_REGION("facilities", "region", 8),
    FACILITIES_STATE("facilities", "state", 8),
    FACILITIES_LOCAL_PREFIXES("facilities", "local_prefixes", 1000),
    FACILITIES_ACCESS_CODE("facilities", "access_code", 16),
    FACILITIES_THREE_WAY_ACTION("facilities", "three_way_action", 16),

    INMATES_ID("inmates", "id", 64),
    INMATES_FACILITY_ID("inmates", "facility_id", 64),
    INMATES_NAME("inmates", "name", 200),
    INMATES_NAME_RECORDING("inmates", "name_recording", 500),
    INMATES_PIN_HASH("inmates", "pin_hash", 200),
    INMATES_PIN_INDEX("inmates", "pin_index", 64),
    INMATES_STATUS("inmates", "status", 16),
    INMATES_LANGUAGE("inmates", "language", 16),

    INMATE_ALLOWED_NUMBERS_INMATE_ID("inmate_allowed_numbers", "inmate_id", 64),
    INMATE_ALLOWED_NUMBERS_NUMBER("inmate_allowed_numbers", "number", 16),

    TERMINALS_ID("terminals", "id", 64),
    TERMINALS_FACILITY_ID("terminals", "facility_id", 64),
    TERMINALS_SIP_USERNAME("terminals", "sip_username", 128),
    TERMINALS_SIP_PASSWORD("terminals", "sip_password", 200),
    TERMINALS_KIND("terminals", "kind", 16),
    TERMINALS_ASSIGNED_INMATE_ID("terminals", "assigned_inmate_id", 64),

    ACCOUNTS_ID("accounts", "id", 64),
    ACCOUNTS_TYPE("accounts", "type", 16),
    ACCOUNTS_OWNER_NAME("accounts", "owner_name", 200),
    ACCOUNTS_INMATE_ID("accounts", "inmate_id", 64),

    ACCOUNT_BILLING_NUMBERS_ACCOUNT_ID("account_billing_numbers", "account_id", 64),
    ACCOUNT_BILLING_NUMBERS_NUMBER("account_billing_numbers", "number", 16),

    DEPOSITS_ACCOUNT_ID("deposits", "account_id", 64),
    DEPOSITS_REFERENCE("deposits", "reference", 200),

    BLOCKS_NUMBER("blocks", "number", 16),
    BLOCKS_SCOPE("blocks", "scope", 16),
    BLOCKS_FACILITY_ID("blocks", "facility_id", 64),
    BLOCKS_ORIGIN("blocks", "origin", 16),
    BLOCKS_NOTE("blocks", "note", 500),

    PRIVILEGED_NUMBERS_NUMBER("privileged_numbers", "number", 16),
    PRIVILEGED_NUMBERS_FACILITY_ID("privileged_numbers", "facility_id", 64),
    PRIVILEGED_NUMBERS_LABEL("privileged_numbers", "label", 200),

    RATES_FACILITY_ID("rates", "facility_id", 64),
    RATES_CALL_CLASS("rates", "call_class", 16),

    PIN_FAILURES_TERMINAL_ID("pin_failures", "terminal_id", 64),
    PIN_FAILURES_INMATE_ID("pin_failures", "inmate_id", 64),

    CALL_RECORDS_CALL_ID("call_records", "call_id", 128),
    CALL_RECORDS_FACILITY_ID("call_records", "facility_id", 64),
    CALL_RECORDS_TERMINAL_ID("call_records", "terminal_id", 64),
    CALL_RECORDS_INMATE_ID("call_records", "inmate_id", 64),
    CALL_RECORDS_ACCOUNT_ID("call_records", "account_id", 64),
    CALL_RECORDS_DIALED("call_records", "dialed", 64),
    CALL_RECORDS_NORMALIZED("call_records", "normalized", 16),
    CALL_RECORDS_CALL_CLASS("call_records", "call_class", 16),
    CALL_RECORDS_DISPOSITION("call_records", "disposition", 32),
    CALL_RECORDS_DENY_REASON("call_records", "deny_reason", 32),
    CALL_RECORDS_RECORDING_FILE("call_records", "recording_file", 500),

    THREE_WAY_DETECTIONS_CALL_ID("three_way_detections", "call_id", 128),
    THREE_WAY_DETECTIONS_SIGNAL("three_way_detections", "signal", 32),
    THREE_WAY_DETECTIONS_ACTION("three_way_detections", "action", 16),

    RESERVATIONS_ACCOUNT_ID("reservations", "account_id", 64),
    RESERVATIONS_CALL_ID("reservations", "call_id", 128),
    RESERVATIONS_NODE_ID("reservations", "node_id", 64),

    AUDIT_LOG_ACTOR("audit_log", "actor", 128),
    AUDIT_LOG_METHOD("audit_log", "method", 16),
    AUDIT_LOG_PATH("audit_log", "path", 1000),
    AUDIT_LOG_ENTITY_ID("audit_log", "entity_id", 200),

    REJECTED_WRITES_NODE_ID("rejected_writes", "node_id", 64),
    REJECTED_WRITES_CALL_ID("rejected_writes", "call_id", 128),
    REJECTED_WRITES_KIND("rejected_writes", "kind", 32),
    REJECTED_WRITES_REASON("rejected_writes", "reason", 1000),
    REJECTED_WRITES_CONTENT("rejected_writes", "content", 8000);

    private static final char NUL = '\u0000';

    private final String table;
    private final String column;
    private final int size;

    Column(String table, String column, int size) {
        this.table = table;
        this.column = column;
        this.size = size;
    }

    /** The table, as the migrations name it. */
    public String table() {
        return table;
    }

    /** The column, as the migrations name it; also the field a refusal names by default. */
    public String column() {
        return column;
    }

    /** The most characters the column holds: {@code VARCHAR(size)}. */
    public int size() {
        return size;
    }

    /** Whether the store takes {@code value} in this column as it is. */
    public boolean fits(String value) {
        return value.length() <= size && value.indexOf(NUL) < 0;
    }

    /** {@code value}, or a {@link ValidationException} naming this column when it does not fit. */
    public String check(String value) {
        return check(column, value);
    }

    /**
     * {@code value}, or a {@link ValidationException} naming {@code field} when it does not fit.
     * The message gives the lengths, never the value (it may be anything a peer sent).
     */
    public String check(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.length() > size) {
            throw new ValidationException(field, "at most " + size + " characters, got " + value.length());
        }
        if (value.indexOf(NUL) >= 0) {
            throw new ValidationException(field, "must not contain NUL characters");
        }
        return value;
    }

    /** The optional {@code value} checked as {@link #check(String, String)} does. */
    public Optional<String> check(String field, Optional<String> value) {
        value.ifPresent(v -> check(field, v));
        return value;
    }

    /** The optional {@code value} checked under this column's name. */
    public Optional<String> check(Optional<String> value) {
        return check(column, value);
    }

    /**
     * {@code value} made to fit: NULs dropped, then cut to {@link #size()} without splitting a
     * surrogate pair. A value that fits is returned as it is.
     */
    public String fit(String value) {
        if (fits(value)) {
            return value;
        }
        String clean = value.indexOf(NUL) >= 0 ? value.replace(String.valueOf(NUL), "") : value;
        if (clean.length() <= size) {
            return clean;
        }
        int end = Character.isHighSurrogate(clean.charAt(size - 1)) ? size - 1 : size;
        return clean.substring(0, end);
    }

    /** The optional {@code value} made to fit. */
    public Optional<String> fit(Optional<String> value) {
        return value.map(this::fit);
    }

    /** The column named {@code table.column}, if the schema has it as text. */
    public static Optional<Column> of(String table, String column) {
        for (Column c : values()) {
            if (c.table.equals(table) && c.column.equals(column)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
