/**
 * The back-to-back user agent's SIP side: {@link org.icgw.gateway.sip.b2bua.B2bua} takes the
 * inmate's INVITE (digest, registration, SDP offer), answers it through
 * {@code InmateSipLeg} (UAS), places the callee's INVITE through {@code TrunkSipLeg} (UAC, with
 * failover over the {@link org.icgw.gateway.sip.b2bua.Trunk} list and RFC 4028 session timers),
 * and hands every event to the call's script ({@link org.icgw.gateway.call.Call}) as a
 * {@link org.icgw.gateway.call.CallEvent}. Each leg keeps its own SIP dialog ({@code LegDialog}):
 * a request of the peer counts only when its Call-ID and both tags name that dialog and it came on
 * the flow the dialog was set up with ({@code Flow}); a CANCEL only when it matches its INVITE
 * transaction ({@code TransactionMatch}). Anything else is refused 481 and changes nothing. {@link org.icgw.gateway.sip.b2bua.Sdp} does the
 * G.711 offer/answer of RFC 3264.
 */
package org.icgw.gateway.sip.b2bua;
