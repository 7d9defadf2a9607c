package org.icgw.policy.decision;

import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.Terminal;

/** Who is calling: the terminal, its facility and the inmate whose PIN was entered. */
public record Caller(Terminal terminal, Facility facility, Inmate inmate) {
}
