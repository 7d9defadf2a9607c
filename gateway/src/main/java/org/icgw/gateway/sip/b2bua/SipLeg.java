package org.icgw.gateway.sip.b2bua;

import javax.sip.ResponseEvent;
import javax.sip.TimeoutEvent;
import org.icgw.gateway.sip.InboundRequest;

/**
 * A call leg as the B2BUA routes SIP to it by Call-ID; every method runs on the B2BUA's worker.
 * The leg matches each request on its dialog and flow before acting on it.
 */
sealed interface SipLeg permits InmateSipLeg, TrunkSipLeg {

    /** A request with the leg's Call-ID: in its dialog, a CANCEL or ACK of its INVITE, or a forgery to refuse. */
    void request(InboundRequest request);

    /** A response to a request the leg sent. */
    void response(ResponseEvent event);

    /** A transaction of the leg timed out. */
    void timeout(TimeoutEvent event);
}
