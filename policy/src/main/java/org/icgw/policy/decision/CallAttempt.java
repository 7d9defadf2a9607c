package org.icgw.policy.decision;

import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway knows when it asks for a decision.
 *
 * @param terminalUsername the SIP username the terminal registered and called with
 * @param pin              the digits entered as the PIN
 * @param dialed           the number as dialed (or as entered after the access code)
 * @param at               when the call is placed
 */
public record CallAttempt(String terminalUsername, String pin, String dialed, Instant at) {
    public CallAttempt {
        Objects.requireNonNull(terminalUsername, "terminalUsername");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(dialed, "dialed");
        Objects.requireNonNull(at, "at");
    }

    /** {@code toString} never shows the PIN. */
    @Override
    public String toString() {
        return "CallAttempt[terminal=" + terminalUsername + ", dialed=" + dialed + ", at=" + at + "]";
    }
}
