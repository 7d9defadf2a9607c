package org.icgw.policy.model;


/** An inmate's calling status; only {@link #ACTIVE} may place calls. */
public enum InmateStatus {
    ACTIVE,
    RESTRICTED,
    SEGREGATION,
    RELEASED;

    public String wireName() {
        return Wire.name(this);
    }

    public static InmateStatus fromWire(String value) {
        return Wire.parse(InmateStatus.class, value);
    }
}
