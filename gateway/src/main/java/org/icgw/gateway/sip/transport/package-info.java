/**
 * The gateway's SIP transport, on Netty under JAIN-SIP's transaction and dialog layers: UDP and
 * TCP listening points ({@code SipDatagramProcessor}, {@code SipStreamProcessor}) that charge
 * every message to its source before parsing it, refuse what is malformed or too large with a
 * fixed answer or nothing, send every response back on the flow its request came on, and never
 * look up a name taken from a message. TCP runs on a few event loops with per-source and total connection limits, idle and
 * header timeouts; parsed messages reach the stack through bounded, per-flow ordered lanes.
 *
 * <p>JAIN-SIP instantiates its plug-ins by class name
 * ({@link org.icgw.gateway.sip.transport.SipMessageProcessorFactory},
 * {@link org.icgw.gateway.sip.transport.SipRouter},
 * {@link org.icgw.gateway.sip.transport.SipStackLog}); they find the endpoint's
 * {@link org.icgw.gateway.sip.transport.SipTransport} in a registry keyed by the stack's name.
 */
package org.icgw.gateway.sip.transport;
