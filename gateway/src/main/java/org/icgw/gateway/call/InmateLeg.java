package org.icgw.gateway.call;

/**
 * The inmate's side of a call: the terminal's INVITE, authenticated and with a usable offer,
 * answered by the gateway itself (UAS). Implemented by the SIP layer; every method returns at
 * once and is safe to call from the call's owner thread.
 */
public interface InmateLeg {

    /** The SIP username the terminal registered and called with. */
    String terminalUsername();

    /** The user part of the Request-URI: the digits dialed. */
    String dialed();

    /** The terminal's media, from its offer (the codec the gateway chose from it). */
    MediaDescription remote();

    /** Answers the INVITE (200 with an SDP answer describing {@code local}). */
    void answer(MediaDescription local);

    /** Ends the leg: BYE once answered, otherwise a final error response ({@code status}). */
    void end(int statusIfUnanswered);
}
