package org.icgw.policy.model;

/** Why a call was denied; the wire names are the contract's, carried on a {@code denied} CDR. */
public enum DenyReason {
    UNKNOWN_TERMINAL,
    BAD_PIN,
    PIN_LOCKED,
    INMATE_RESTRICTED,
    DAILY_LIMIT,
    OUTSIDE_CALLING_HOURS,
    FACILITY_LOCKDOWN,
    INVALID_NUMBER,
    NUMBER_BLOCKED,
    NUMBER_NOT_ALLOWED,
    TOLL_FREE,
    PREMIUM,
    INTERNATIONAL_NOT_ALLOWED,
    NO_ACCOUNT,
    INSUFFICIENT_FUNDS,
    CREDIT_LIMIT;

    public String wireName() {
        return Wire.name(this);
    }
}
