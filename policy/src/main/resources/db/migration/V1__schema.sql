-- The gateway's store: one schema for embedded H2 (MODE=PostgreSQL, DATABASE_TO_LOWER=TRUE,
-- DEFAULT_NULL_ORDERING=HIGH) and PostgreSQL 15. Portable SQL only.
-- Enumerations are stored as their lower-case wire names; money is integer cents; times are
-- TIMESTAMP WITH TIME ZONE (microsecond precision). CHECK constraints are a backstop: the
-- store validates every write before it reaches them.

CREATE TABLE facilities (
    id                            VARCHAR(64)  NOT NULL,
    name                          VARCHAR(200) NOT NULL,
    name_prompt                   VARCHAR(500),
    time_zone                     VARCHAR(64)  NOT NULL,
    calling_hours                 VARCHAR(500) NOT NULL,
    max_call_minutes              INTEGER      NOT NULL,
    announcement_interval_seconds INTEGER      NOT NULL,
    ani                           VARCHAR(16)  NOT NULL,
    rate_tier                     VARCHAR(32)  NOT NULL,
    digit_map                     VARCHAR(4)   NOT NULL,
    lockdown                      BOOLEAN      NOT NULL,
    region                        VARCHAR(8)   NOT NULL,
    state                         VARCHAR(8)   NOT NULL,
    local_prefixes                VARCHAR(1000) NOT NULL,
    access_code                   VARCHAR(16)  NOT NULL,
    pin_length                    INTEGER      NOT NULL,
    three_way_action              VARCHAR(16)  NOT NULL,
    international_allowed         BOOLEAN      NOT NULL,
    CONSTRAINT pk_facilities PRIMARY KEY (id),
    CONSTRAINT ck_facilities_max_call_minutes CHECK (max_call_minutes > 0),
    CONSTRAINT ck_facilities_announcement CHECK (announcement_interval_seconds > 0),
    CONSTRAINT ck_facilities_pin_length CHECK (pin_length BETWEEN 4 AND 12),
    CONSTRAINT ck_facilities_three_way CHECK (three_way_action IN ('disconnect', 'warn', 'log'))
);

CREATE TABLE inmates (
    id             VARCHAR(64)  NOT NULL,
    facility_id    VARCHAR(64)  NOT NULL,
    name           VARCHAR(200) NOT NULL,
    name_recording VARCHAR(500),
    pin_hash       VARCHAR(200) NOT NULL,
    pin_index      VARCHAR(64)  NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    language       VARCHAR(16)  NOT NULL,
    calls_per_day  INTEGER      NOT NULL,
    pan_enforced   BOOLEAN      NOT NULL,
    CONSTRAINT pk_inmates PRIMARY KEY (id),
    CONSTRAINT fk_inmates_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
    CONSTRAINT uq_inmates_pin_index UNIQUE (facility_id, pin_index),
    CONSTRAINT ck_inmates_status CHECK (status IN ('active', 'restricted', 'segregation', 'released')),
    CONSTRAINT ck_inmates_calls_per_day CHECK (calls_per_day >= 0)
);

CREATE TABLE inmate_allowed_numbers (
    inmate_id VARCHAR(64) NOT NULL,
    number    VARCHAR(16) NOT NULL,
    CONSTRAINT pk_inmate_allowed_numbers PRIMARY KEY (inmate_id, number),
    CONSTRAINT fk_inmate_allowed_numbers_inmate FOREIGN KEY (inmate_id) REFERENCES inmates (id) ON DELETE CASCADE
);

CREATE TABLE terminals (
    id                 VARCHAR(64)  NOT NULL,
    facility_id        VARCHAR(64)  NOT NULL,
    sip_username       VARCHAR(128) NOT NULL,
    sip_password       VARCHAR(200) NOT NULL,
    kind               VARCHAR(16)  NOT NULL,
    enabled            BOOLEAN      NOT NULL,
    assigned_inmate_id VARCHAR(64),
    CONSTRAINT pk_terminals PRIMARY KEY (id),
    CONSTRAINT fk_terminals_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
    CONSTRAINT fk_terminals_inmate FOREIGN KEY (assigned_inmate_id) REFERENCES inmates (id),
    CONSTRAINT uq_terminals_sip_username UNIQUE (sip_username),
    CONSTRAINT ck_terminals_kind CHECK (kind IN ('phone', 'tablet'))
);

CREATE TABLE accounts (
    id                 VARCHAR(64)  NOT NULL,
    type               VARCHAR(16)  NOT NULL,
    owner_name         VARCHAR(200) NOT NULL,
    inmate_id          VARCHAR(64),
    balance_cents      BIGINT       NOT NULL,
    credit_limit_cents BIGINT       NOT NULL,
    reserved_cents     BIGINT       NOT NULL,
    CONSTRAINT pk_accounts PRIMARY KEY (id),
    CONSTRAINT fk_accounts_inmate FOREIGN KEY (inmate_id) REFERENCES inmates (id),
    CONSTRAINT uq_accounts_inmate UNIQUE (inmate_id),
    CONSTRAINT ck_accounts_type CHECK (type IN ('prepaid', 'direct_bill', 'debit')),
    CONSTRAINT ck_accounts_debit_inmate CHECK ((type = 'debit') = (inmate_id IS NOT NULL)),
    CONSTRAINT ck_accounts_reserved CHECK (reserved_cents >= 0),
    CONSTRAINT ck_accounts_credit_limit CHECK (credit_limit_cents >= 0),
    CONSTRAINT ck_accounts_funds CHECK (type = 'direct_bill' OR balance_cents >= 0),
    CONSTRAINT ck_accounts_owed CHECK (type <> 'direct_bill' OR balance_cents <= credit_limit_cents),
    CONSTRAINT ck_accounts_available CHECK (
        (CASE WHEN type = 'direct_bill' THEN credit_limit_cents - balance_cents ELSE balance_cents END)
            - reserved_cents >= 0)
);

CREATE TABLE account_billing_numbers (
    account_id VARCHAR(64) NOT NULL,
    number     VARCHAR(16) NOT NULL,
    CONSTRAINT pk_account_billing_numbers PRIMARY KEY (account_id, number),
    CONSTRAINT fk_account_billing_numbers_account FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE CASCADE
);
CREATE INDEX ix_account_billing_numbers_number ON account_billing_numbers (number);

CREATE TABLE deposits (
    id           BIGINT GENERATED BY DEFAULT AS IDENTITY,
    account_id   VARCHAR(64)  NOT NULL,
    amount_cents BIGINT       NOT NULL,
    at           TIMESTAMP WITH TIME ZONE NOT NULL,
    reference    VARCHAR(200) NOT NULL,
    CONSTRAINT pk_deposits PRIMARY KEY (id),
    CONSTRAINT fk_deposits_account FOREIGN KEY (account_id) REFERENCES accounts (id),
    CONSTRAINT ck_deposits_amount CHECK (amount_cents BETWEEN 1 AND 5000)
);
CREATE INDEX ix_deposits_account ON deposits (account_id, at);

CREATE TABLE blocks (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY,
    number      VARCHAR(16)  NOT NULL,
    scope       VARCHAR(16)  NOT NULL,
    facility_id VARCHAR(64),
    origin      VARCHAR(16)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    lifted_at   TIMESTAMP WITH TIME ZONE,
    note        VARCHAR(500) NOT NULL,
    CONSTRAINT pk_blocks PRIMARY KEY (id),
    CONSTRAINT fk_blocks_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
    CONSTRAINT ck_blocks_scope CHECK ((scope = 'facility' AND facility_id IS NOT NULL)
        OR (scope = 'all' AND facility_id IS NULL)),
    CONSTRAINT ck_blocks_origin CHECK (origin IN ('callee', 'staff'))
);
CREATE INDEX ix_blocks_number ON blocks (number);

CREATE TABLE privileged_numbers (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY,
    number      VARCHAR(16)  NOT NULL,
    facility_id VARCHAR(64),
    label       VARCHAR(200) NOT NULL,
    CONSTRAINT pk_privileged_numbers PRIMARY KEY (id),
    CONSTRAINT fk_privileged_numbers_facility FOREIGN KEY (facility_id) REFERENCES facilities (id)
);
CREATE INDEX ix_privileged_numbers_number ON privileged_numbers (number);

CREATE TABLE rates (
    facility_id      VARCHAR(64) NOT NULL,
    call_class       VARCHAR(16) NOT NULL,
    cents_per_minute INTEGER     NOT NULL,
    increment_seconds INTEGER    NOT NULL,
    CONSTRAINT pk_rates PRIMARY KEY (facility_id, call_class),
    CONSTRAINT fk_rates_facility FOREIGN KEY (facility_id) REFERENCES facilities (id),
    CONSTRAINT ck_rates_call_class CHECK (call_class IN ('local', 'intrastate', 'interstate', 'international')),
    CONSTRAINT ck_rates_cents CHECK (cents_per_minute >= 0),
    CONSTRAINT ck_rates_increment CHECK (increment_seconds BETWEEN 1 AND 60)
);

CREATE TABLE pin_failures (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY,
    terminal_id VARCHAR(64) NOT NULL,
    inmate_id   VARCHAR(64),
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_pin_failures PRIMARY KEY (id),
    CONSTRAINT fk_pin_failures_terminal FOREIGN KEY (terminal_id) REFERENCES terminals (id),
    CONSTRAINT fk_pin_failures_inmate FOREIGN KEY (inmate_id) REFERENCES inmates (id)
);
CREATE INDEX ix_pin_failures_terminal ON pin_failures (terminal_id, at);
CREATE INDEX ix_pin_failures_inmate ON pin_failures (inmate_id, at);

-- Call records carry no foreign keys: a CDR is history and must be kept even when it names a
-- terminal or inmate the store does not know (a denied unknown_terminal attempt).
CREATE TABLE call_records (
    call_id            VARCHAR(128) NOT NULL,
    facility_id        VARCHAR(64),
    terminal_id        VARCHAR(64),
    inmate_id          VARCHAR(64),
    account_id         VARCHAR(64),
    dialed             VARCHAR(64)  NOT NULL,
    normalized         VARCHAR(16),
    call_class         VARCHAR(16),
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    callee_answered_at TIMESTAMP WITH TIME ZONE,
    accepted_at        TIMESTAMP WITH TIME ZONE,
    ended_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    billed_seconds     BIGINT       NOT NULL,
    charge_cents       BIGINT       NOT NULL,
    disposition        VARCHAR(32)  NOT NULL,
    deny_reason        VARCHAR(32),
    recording_file     VARCHAR(500),
    CONSTRAINT pk_call_records PRIMARY KEY (call_id),
    CONSTRAINT ck_call_records_deny_reason CHECK ((disposition = 'denied') = (deny_reason IS NOT NULL)),
    CONSTRAINT ck_call_records_billed CHECK (billed_seconds >= 0 AND charge_cents >= 0)
);
CREATE INDEX ix_call_records_inmate ON call_records (inmate_id, started_at);
CREATE INDEX ix_call_records_dialed ON call_records (dialed, started_at);
CREATE INDEX ix_call_records_normalized ON call_records (normalized, started_at);
CREATE INDEX ix_call_records_started ON call_records (started_at);

CREATE TABLE three_way_detections (
    call_id VARCHAR(128) NOT NULL,
    seq     INTEGER      NOT NULL,
    signal  VARCHAR(32)  NOT NULL,
    at      TIMESTAMP WITH TIME ZONE NOT NULL,
    action  VARCHAR(16)  NOT NULL,
    CONSTRAINT pk_three_way_detections PRIMARY KEY (call_id, seq),
    CONSTRAINT fk_three_way_detections_call FOREIGN KEY (call_id) REFERENCES call_records (call_id) ON DELETE CASCADE
);

-- Money held by calls in progress; node_id names the gateway process that holds it, so that
-- a restarted process can return what it held when it died.
CREATE TABLE reservations (
    id         BIGINT GENERATED BY DEFAULT AS IDENTITY,
    account_id VARCHAR(64)  NOT NULL,
    call_id    VARCHAR(128) NOT NULL,
    node_id    VARCHAR(64)  NOT NULL,
    cents      BIGINT       NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_reservations PRIMARY KEY (id),
    CONSTRAINT fk_reservations_account FOREIGN KEY (account_id) REFERENCES accounts (id),
    CONSTRAINT ck_reservations_cents CHECK (cents > 0)
);
CREATE INDEX ix_reservations_node ON reservations (node_id);
CREATE INDEX ix_reservations_account ON reservations (account_id);
