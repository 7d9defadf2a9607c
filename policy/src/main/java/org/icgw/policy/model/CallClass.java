package org.icgw.policy.model;

/** The tariff class of a call, derived from the facility's location and the called number. */
public enum CallClass {
    LOCAL,
    INTRASTATE,
    INTERSTATE,
    INTERNATIONAL;

    /** The lower-case wire name used in the API, the store and the CDR. */
    public String wireName() {
        return Wire.name(this);
    }
}
