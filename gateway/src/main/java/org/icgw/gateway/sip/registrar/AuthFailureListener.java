package org.icgw.gateway.sip.registrar;

import java.net.InetAddress;

/**
 * Hears every failed digest authentication, for abuse control: the gateway counts them per source
 * address and bans an address that fails too often ({@code SourceGuard}), and records a security
 * event a fail2ban filter can read. Called on the thread that checked the credentials.
 */
@FunctionalInterface
public interface AuthFailureListener {

    /** Does nothing (unit tests of the authenticator alone). */
    AuthFailureListener NONE = (source, method, username, reason) -> { };

    /**
     * @param source   the address the request came from (the packet's), absent when unknown
     * @param method   the request's method
     * @param username the username the credentials named, as sent (may be absent or unprovisioned:
     *                 log it sanitised, never look it up again)
     * @param reason   why it failed; never shown to the client, whose answer is the same 403
     */
    void failed(InetAddress source, String method, String username, AuthResult.Reason reason);
}
