package org.icgw.gateway.sip.b2bua;

/**
 * Why a request for a leg was refused 481 (an ACK: dropped): it names no dialog or transaction of
 * the gateway, or it did not come from the flow that dialog was set up on. Each is a
 * {@code dialog_mismatch} security event; the detail is this fixed text, never the request's own.
 */
enum Mismatch {
    /** No leg has this Call-ID (never had, or no longer lingers). */
    UNKNOWN_CALL_ID("no dialog with this Call-ID"),
    /** The To tag is not the gateway's, or the From tag not the peer's (or the leg has no dialog yet). */
    TAGS("tags do not match the dialog"),
    /** Right dialog, but not from the address, port and transport the dialog was set up with. */
    FLOW("not from the dialog's flow"),
    /** A CANCEL that matches no pending INVITE transaction (RFC 3261 §9.2). */
    TRANSACTION("matches no INVITE transaction");

    private final String detail;

    Mismatch(String detail) {
        this.detail = detail;
    }

    /** The fixed text of the security event. */
    String detail() {
        return detail;
    }
}
