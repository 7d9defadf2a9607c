package org.icgw.policy.model;

/** How a call attempt ended; the wire names are the contract's. */
public enum Disposition {
    COMPLETED,
    REFUSED,
    BLOCKED_BY_CALLEE,
    NO_ANSWER,
    BUSY,
    TRUNK_FAILURE,
    BALANCE_EXHAUSTED,
    TIME_LIMIT,
    THREE_WAY_DETECTED,
    MEDIA_TIMEOUT,
    INVESTIGATOR_DISCONNECT,
    CALLER_ABANDONED,
    DENIED;

    public String wireName() {
        return Wire.name(this);
    }
}
