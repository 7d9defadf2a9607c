package org.icgw.gateway.security;

import java.util.Locale;

/**
 * The kinds of security event the gateway counts ({@code icgw_security_events_total{type}}) and
 * logs, one line per event as {@code security event <type> from <address>: <detail>}, the shape
 * the fail2ban filter in {@code deploy/fail2ban/} reads.
 */
public enum SecurityEvent {
    /** A SIP message the gateway could not parse, or whose headers failed a check (400). */
    MALFORMED,
    /** A SIP request above the size limit (513), or a datagram or stream beyond the transport's bound. */
    OVERSIZED,
    /** A request refused because its source exceeded its own rate. */
    RATE_LIMITED,
    /** A request dropped because all sources together exceeded the global budget. */
    OVER_BUDGET,
    /** A digest authentication that failed: wrong password, unknown or disabled terminal. */
    AUTH_FAILED,
    /** An address banned after too many failed authentications. */
    BANNED,
    /** A request from a banned address, dropped unanswered. */
    BANNED_REQUEST,
    /** A TCP connection refused over the total or per-source connection limit. */
    CONNECTION_REFUSED,
    /** A TCP connection closed by the idle or header-read timeout. */
    CONNECTION_TIMEOUT,
    /** An in-dialog request whose dialog id or flow did not match (481). */
    DIALOG_MISMATCH,
    /** A request that loops (482) or has run out of hops (483). */
    LOOP,
    /** A failed bearer token on the admin API. */
    ADMIN_AUTH_FAILED,
    /** An admin API request refused for size or slowness, or a source over its failure limit (429). */
    ADMIN_REFUSED;

    /** The name in metrics and logs: {@code auth_failed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
