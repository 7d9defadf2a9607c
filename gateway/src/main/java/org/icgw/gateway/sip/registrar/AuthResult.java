package org.icgw.gateway.sip.registrar;

import javax.sip.message.Response;

/**
 * What {@link Authenticator#check} found: a terminal proved who it is, must answer a challenge,
 * or is refused. Expected outcomes, so values rather than exceptions.
 */
public sealed interface AuthResult {

    /** The request carries valid credentials of an enabled terminal. */
    record Authenticated(TerminalCredentials terminal) implements AuthResult {
    }

    /**
     * The request must be retried with credentials: {@code response} is a ready 401 with one
     * WWW-Authenticate per offered algorithm ({@code stale=true} when only the nonce was old).
     */
    record Challenge(Response response, boolean stale) implements AuthResult {
    }

    /** The request is refused: answer 403. */
    record Forbidden(Reason reason) implements AuthResult {
    }

    /** Why a request was refused. */
    enum Reason {
        /** No terminal has this username (contract: 403; CDR reason {@code unknown_terminal}). */
        UNKNOWN_TERMINAL,
        /** The terminal exists but is disabled. */
        TERMINAL_DISABLED,
        /** Wrong password, or credentials that do not fit the challenge or the request. */
        BAD_CREDENTIALS
    }
}
