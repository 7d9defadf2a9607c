package org.icgw.policy.model;

/** Who placed a block: the callee by pressing the block digit, or staff. */
public enum BlockOrigin {
    CALLEE,
    STAFF
}
