/**
 * The gateway's SIP signalling foundation: {@link org.icgw.gateway.sip.SipEndpoint} owns the
 * JAIN-SIP stack (UDP and TCP), rate-limits each source, refuses bad input
 * ({@link org.icgw.gateway.sip.RequestValidator}) and dispatches requests by method to
 * {@link org.icgw.gateway.sip.SipRequestHandler}s. Registration and digest authentication live in
 * {@code org.icgw.gateway.sip.registrar}.
 */
package org.icgw.gateway.sip;
