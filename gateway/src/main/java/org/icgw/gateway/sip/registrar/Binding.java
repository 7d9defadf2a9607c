package org.icgw.gateway.sip.registrar;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * One registered contact of a terminal (RFC 3261 §10.3).
 *
 * @param username     the terminal's SIP username (the AOR's user part)
 * @param terminalId   the provisioned terminal
 * @param facilityId   its facility
 * @param contact      the Contact URI to send requests to, as the terminal wrote it
 * @param source       where the REGISTER came from: behind NAT, the address that reaches it
 * @param transport    {@code UDP} or {@code TCP}, as the REGISTER arrived
 * @param registeredAt when this binding was last refreshed
 * @param expiresAt    when it lapses
 * @param callId       the REGISTER's Call-ID
 * @param cseq         the REGISTER's CSeq number
 */
public record Binding(String username, String terminalId, String facilityId, String contact, InetSocketAddress source,
        String transport, Instant registeredAt, Instant expiresAt, String callId, long cseq) {

    public Binding {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(terminalId, "terminalId");
        Objects.requireNonNull(facilityId, "facilityId");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(registeredAt, "registeredAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(callId, "callId");
    }

    /** Whether the binding still holds at {@code now}. */
    public boolean activeAt(Instant now) {
        return now.isBefore(expiresAt);
    }
}
