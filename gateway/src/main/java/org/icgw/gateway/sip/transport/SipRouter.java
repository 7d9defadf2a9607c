package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.stack.DefaultRouter;
import gov.nist.javax.sip.stack.HopImpl;
import java.net.InetAddress;
import java.util.ListIterator;
import javax.sip.SipException;
import javax.sip.SipStack;
import javax.sip.address.Hop;
import javax.sip.address.Router;
import javax.sip.message.Request;

/**
 * JAIN-SIP's router (stack properties {@code javax.sip.ROUTER_PATH} and
 * {@code javax.sip.USE_ROUTER_FOR_ALL_URIS=true}, so it sees every request): RFC 3261 §8.1.2 and
 * §16.12 routing as the stack's {@link DefaultRouter} does it, then the hop's host pinned to an
 * address without a lookup. An address literal stays; a configured name (a trunk) becomes the
 * address the {@link SipHostResolver} holds; any other name, which can only have come from a
 * message (Contact, Record-Route, Request-URI), is refused, so the stack's own
 * {@code InetAddress.getByName(hop.getHost())} calls (ACK sending, raw channels) only ever see
 * literals.
 */
public final class SipRouter implements Router {

    private final DefaultRouter rfc3261;
    private final SipHostResolver resolver;

    /** The constructor the stack calls. */
    public SipRouter(SipStack stack, String outboundProxy) {
        this.rfc3261 = new DefaultRouter(stack, outboundProxy);
        this.resolver = SipTransport.forStack(stack.getStackName()).resolver();
    }

    @Override
    public Hop getNextHop(Request request) throws SipException {
        Hop hop = rfc3261.getNextHop(request);
        if (hop == null) {
            return null;
        }
        InetAddress address = resolver.address(hop.getHost())
                .orElseThrow(() -> new SipException("next hop is a name the gateway does not resolve"));
        String literal = address.getHostAddress();
        return literal.equals(hop.getHost()) ? hop : new HopImpl(literal, hop.getPort(), hop.getTransport());
    }

    @Override
    public Hop getOutboundProxy() {
        return rfc3261.getOutboundProxy();
    }

    @Override
    @Deprecated
    @SuppressWarnings("rawtypes")
    public ListIterator getNextHops(Request request) {
        return rfc3261.getNextHops(request);
    }
}
