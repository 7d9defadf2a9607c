package org.icgw.gateway.sip.registrar;

import java.util.Objects;

/**
 * What the registrar needs to know of a terminal to authenticate it.
 *
 * @param username   the SIP username (digest {@code username}, the user part of its AOR)
 * @param password   the SIP password in clear: digest needs it (or a precomputed HA1)
 * @param enabled    a disabled terminal is refused 403
 * @param terminalId the provisioned terminal's id
 * @param facilityId the facility the terminal belongs to
 */
public record TerminalCredentials(String username, String password, boolean enabled, String terminalId, String facilityId) {

    public TerminalCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(facilityId, "facilityId");
    }

    @Override
    public String toString() {
        return "TerminalCredentials[username=" + username + ", enabled=" + enabled + ", terminalId=" + terminalId
                + ", facilityId=" + facilityId + "]";
    }
}
