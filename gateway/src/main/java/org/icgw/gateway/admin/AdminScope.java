package org.icgw.gateway.admin;

import java.util.Locale;

/**
 * What an admin token may do. {@link #STAFF} provisions and reads everything but recordings;
 * {@link #INVESTIGATOR} may do all that staff may, and also download recordings and cut calls off.
 */
public enum AdminScope {
    STAFF,
    INVESTIGATOR;

    /** Whether a token of this scope may use a route that requires {@code required}. */
    public boolean covers(AdminScope required) {
        return this == INVESTIGATOR || required == STAFF;
    }

    /** The name used in configuration and in {@code WWW-Authenticate}: {@code staff}, {@code investigator}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
