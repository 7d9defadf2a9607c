package org.icgw.gateway.sip;

/**
 * Handles the requests of one SIP method. Called on the endpoint's single event thread, in the
 * order requests arrive; long work must be handed to another executor. A handler that throws gets
 * its request answered 500 if it had not answered yet.
 */
@FunctionalInterface
public interface SipRequestHandler {

    void handle(InboundRequest request);
}
