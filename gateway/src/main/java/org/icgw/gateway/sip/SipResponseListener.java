package org.icgw.gateway.sip;

import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;

/**
 * Hears what comes back to the requests the gateway sends as a client (the B2BUA's outbound
 * INVITE, CANCEL, BYE, refreshes): responses and transaction timeouts. Called on the endpoint's
 * single event thread, like {@link SipRequestHandler}; it must not block.
 */
public interface SipResponseListener {

    /** A response, with its client transaction and dialog when the stack matched them. */
    void response(ResponseEvent event);

    /** A transaction timed out (RFC 3261 §17.1.1.2 Timer B, §17.1.2.2 Timer F, or a server retransmission timer). */
    void timeout(TimeoutEvent event);
}
