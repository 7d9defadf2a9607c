package org.icgw.gateway.sip.registrar;

import java.util.Optional;

/**
 * Where terminals' SIP credentials come from: the policy store in the gateway, a map in tests.
 * Called on the SIP event thread for every authenticated request, so it must answer from memory
 * or a cache.
 */
@FunctionalInterface
public interface TerminalDirectory {

    /** The terminal with this SIP username, enabled or not; empty when none is provisioned. */
    Optional<TerminalCredentials> byUsername(String username);
}
