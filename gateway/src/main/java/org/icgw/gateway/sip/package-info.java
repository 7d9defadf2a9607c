/**
 * The gateway's SIP signalling foundation: {@link org.icgw.gateway.sip.SipEndpoint} owns the
 * JAIN-SIP stack on the gateway's own transport ({@code org.icgw.gateway.sip.transport}: UDP and
 * TCP on Netty, source guard, edge checks), refuses bad input
 * ({@link org.icgw.gateway.sip.RequestValidator}) and dispatches requests by method to
 * {@link org.icgw.gateway.sip.SipRequestHandler}s. Registration and digest authentication live in
 * {@code org.icgw.gateway.sip.registrar}.
 */
package org.icgw.gateway.sip;
