package org.icgw.gateway.sip;

import gov.nist.javax.sip.header.SIPHeader;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sip.address.SipURI;
import javax.sip.header.AcceptHeader;
import javax.sip.header.AllowHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.RequireHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.UnsupportedHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The checks every request passes before a handler sees it, in the order of RFC 3261 §8.2: an
 * {@code rport} that is not a port (400), the version (505), size (513), unreadable headers,
 * headers a response could not carry back, header values out of range and CSeq (400), method (501
 * unknown, 405 not allowed), URI scheme (416), loops (482: a Via naming the gateway itself), hops
 * (483: Max-Forwards 0 on a request the gateway would forward), then extensions (420). A failed
 * check is a ready response with the status's fixed reason phrase and no body; the request goes no
 * further. The checks never throw on odd input: what the stack's parser let through is data.
 */
public final class RequestValidator {

    /** Methods of RFC 3261 and its extensions (3262, 3265, 3311, 3428, 3515, 3903, 6086). */
    static final Set<String> KNOWN_METHODS = Set.of(
            "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY",
            "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE");

    /** Via headers a request may carry: more hops than Max-Forwards' usual 70 (RFC 3261 §8.1.1.6) is a loop or an attack. */
    static final int MAX_VIA_HEADERS = 70;
    /** Largest CSeq number: below 2**31 (RFC 3261 §8.1.1.5). */
    static final long MAX_CSEQ = (1L << 31) - 1;
    /**
     * Methods that make the gateway send a request of its own onward (the B2BUA's trunk INVITE):
     * with Max-Forwards 0 they are answered 483 (RFC 3261 §16.3 item 2 applied to the new leg).
     * OPTIONS and REGISTER are answered by the gateway itself, and a BYE always ends its call.
     */
    static final Set<String> FORWARDED_METHODS = Set.of(Request.INVITE);
    /** The headers a response copies from the request (RFC 3261 §8.2.6.2). */
    private static final List<String> ECHOED = List.of(ViaHeader.NAME, FromHeader.NAME, ToHeader.NAME,
            CallIdHeader.NAME, CSeqHeader.NAME);

    /** RFC 3261 §7.1: the only version; another is answered 505 (§21.5.6). */
    private static final String SIP_VERSION = "SIP/2.0";
    private static final String RPORT = "rport";
    private static final Pattern PORT_DIGITS = Pattern.compile("[0-9]{1,5}");
    private static final int MAX_PORT = 65_535;

    private final SipFactories factories;
    private final int maxMessageSize;
    private final String localHost;
    private final int localPort;
    private final SortedSet<String> allowed;
    private final Set<String> supportedOptions;

    /**
     * @param allowed          methods answered (Allow header of 405 and OPTIONS)
     * @param supportedOptions option tags of {@code Require} we understand (RFC 3261 §8.2.2.3)
     */
    public RequestValidator(SipFactories factories, int maxMessageSize, Set<String> allowed, Set<String> supportedOptions) {
        this(factories, maxMessageSize, allowed, supportedOptions, null, 0);
    }

    /**
     * @param localHost the gateway's own SIP address: a request whose Via names it and
     *                  {@code localPort} has come back to us (482); absent: no loop check
     */
    public RequestValidator(SipFactories factories, int maxMessageSize, Set<String> allowed, Set<String> supportedOptions,
            String localHost, int localPort) {
        this.localHost = localHost;
        this.localPort = localPort;
        this.factories = factories;
        this.maxMessageSize = maxMessageSize;
        this.allowed = new TreeSet<>(allowed);
        this.supportedOptions = Set.copyOf(supportedOptions);
    }

    /** The methods this endpoint answers, sorted. */
    public SortedSet<String> allowed() {
        return allowed;
    }

    /**
     * The response refusing this request, or empty when it may go to its handler.
     *
     * @param size the request's size on the wire in bytes
     */
    public Optional<Response> check(Request request, int size) {
        String method = request.getMethod();
        if (dropMalformedRport(request)) {
            return Optional.of(factories.response(Response.BAD_REQUEST, request));
        }
        if (request instanceof SIPRequest parsed && !SIP_VERSION.equals(parsed.getSIPVersion())) {
            return Optional.of(factories.response(Response.VERSION_NOT_SUPPORTED, request));
        }
        if (size > maxMessageSize) {
            return Optional.of(factories.response(Response.MESSAGE_TOO_LARGE, request));
        }
        // Lines the parser could not read as their header are kept aside, not dropped: a request
        // carrying one is malformed, whatever header it was meant to be.
        if (request instanceof SIPRequest parsed && parsed.getUnrecognizedHeaders().hasNext()) {
            return Optional.of(factories.response(Response.BAD_REQUEST, request));
        }
        if (!echoable(request)) {
            return Optional.of(factories.response(Response.BAD_REQUEST, request));
        }
        CSeqHeader cseq = (CSeqHeader) request.getHeader(CSeqHeader.NAME);
        if (cseq == null || !method.equals(cseq.getMethod()) || cseq.getSeqNumber() > MAX_CSEQ) {
            return Optional.of(factories.response(Response.BAD_REQUEST, request));
        }
        if (!headerValuesInRange(request)) {
            return Optional.of(factories.response(Response.BAD_REQUEST, request));
        }
        if (!allowed.contains(method)) {
            if (!KNOWN_METHODS.contains(method)) {
                return Optional.of(withAllow(factories.response(Response.NOT_IMPLEMENTED, request)));
            }
            return Optional.of(withAllow(factories.response(Response.METHOD_NOT_ALLOWED, request)));
        }
        String scheme = request.getRequestURI().getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            return Optional.of(factories.response(Response.UNSUPPORTED_URI_SCHEME, request));
        }
        if (!method.equals(Request.ACK) && loops(request)) {
            return Optional.of(factories.response(Response.LOOP_DETECTED, request));
        }
        if (FORWARDED_METHODS.contains(method) && request.getHeader(MaxForwardsHeader.NAME) instanceof MaxForwardsHeader hops
                && hops.getMaxForwards() <= 0) {
            return Optional.of(factories.response(Response.TOO_MANY_HOPS, request));
        }
        if (!method.equals(Request.ACK) && !method.equals(Request.CANCEL)) {
            List<String> unsupported = unsupportedRequirements(request);
            if (!unsupported.isEmpty()) {
                Response response = factories.response(Response.BAD_EXTENSION, request);
                for (String tag : unsupported) {
                    response.addHeader(unsupportedHeader(tag));
                }
                return Optional.of(response);
            }
        }
        return Optional.empty();
    }

    /** A 200 answer to OPTIONS (RFC 3261 §11.2): what we allow, accept and support. */
    public Response optionsResponse(Request request) {
        Response response = withAllow(factories.response(Response.OK, request));
        try {
            AcceptHeader accept = factories.headers().createAcceptHeader("application", "sdp");
            response.addHeader(accept);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return response;
    }

    /** Adds one Allow header listing every allowed method. */
    public Response withAllow(Response response) {
        try {
            AllowHeader allow = factories.headers().createAllowHeader(String.join(", ", allowed));
            response.setHeader(allow);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        return response;
    }

    /** Ports in Via and Contact within 1-65535 (or absent), and no more Vias than {@link #MAX_VIA_HEADERS}. */
    private static boolean headerValuesInRange(Request request) {
        int vias = 0;
        Iterator<?> via = request.getHeaders(ViaHeader.NAME);
        while (via.hasNext()) {
            ViaHeader v = (ViaHeader) via.next();
            if (++vias > MAX_VIA_HEADERS || !portInRange(v.getPort()) || v.getRPort() > 65_535) {
                return false;
            }
        }
        Iterator<?> contacts = request.getHeaders(ContactHeader.NAME);
        while (contacts.hasNext()) {
            ContactHeader c = (ContactHeader) contacts.next();
            if (c.getAddress() != null && c.getAddress().getURI() instanceof SipURI uri && !portInRange(uri.getPort())) {
                return false;
            }
        }
        return !(request.getRequestURI() instanceof SipURI target) || portInRange(target.getPort());
    }

    /** Absent (-1) or 1-65535. */
    private static boolean portInRange(int port) {
        return port == -1 || (port >= 1 && port <= 65_535);
    }

    /** Whether a Via names the gateway's own address and port: the request came back to us. */
    private boolean loops(Request request) {
        if (localHost == null) {
            return false;
        }
        Iterator<?> via = request.getHeaders(ViaHeader.NAME);
        while (via.hasNext()) {
            ViaHeader v = (ViaHeader) via.next();
            int port = v.getPort() == -1 ? SipEndpointConfig.DEFAULT_PORT : v.getPort();
            if (localHost.equalsIgnoreCase(v.getHost()) && port == localPort) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes each {@code rport} that is not a port (RFC 3581 §3: {@code rport=1*DIGIT}) and tells
     * whether there was one. The stack copies a request's Via headers into any response through
     * {@code Via.clone()}, which reads {@code rport} as a number and throws on anything else
     * (found by SipRequestGateFuzzTest): without the parameter the 400 can be built.
     */
    private static boolean dropMalformedRport(Request request) {
        boolean malformed = false;
        ListIterator<?> vias = request.getHeaders(ViaHeader.NAME);
        while (vias.hasNext()) {
            ViaHeader via = (ViaHeader) vias.next();
            String rport = via.getParameter(RPORT);
            if (rport != null && !rport.isEmpty() && !isPort(rport)) {
                via.removeParameter(RPORT);
                malformed = true;
            }
        }
        return malformed;
    }

    private static boolean isPort(String text) {
        return PORT_DIGITS.matcher(text).matches() && Integer.parseInt(text) <= MAX_PORT;
    }

    /**
     * Whether the headers every response copies from its request (RFC 3261 §8.2.6.2) read back as
     * the stack writes them. The parser accepts some values it then writes differently (a To URI
     * whose scheme is not a token lost a digit of its escape, found by SipRequestGateFuzzTest): a
     * response carrying one could not be read by the peer, so such a request is refused first.
     */
    private static boolean echoable(Request request) {
        for (String name : ECHOED) {
            ListIterator<?> headers = request.getHeaders(name);
            while (headers.hasNext()) {
                String written = ((SIPHeader) headers.next()).encode();
                try {
                    StringMsgParser.parseSIPHeader(written);
                } catch (ParseException e) {
                    return false;
                }
            }
        }
        return true;
    }

    private List<String> unsupportedRequirements(Request request) {
        List<String> unsupported = new ArrayList<>();
        Iterator<?> requires = request.getHeaders(RequireHeader.NAME);
        while (requires.hasNext()) {
            String tag = ((RequireHeader) requires.next()).getOptionTag();
            if (tag != null && !supportedOptions.contains(tag.toLowerCase(Locale.ROOT)) && !unsupported.contains(tag)) {
                unsupported.add(tag);
            }
        }
        return unsupported;
    }

    private UnsupportedHeader unsupportedHeader(String tag) {
        HeaderFactory headers = factories.headers();
        try {
            return headers.createUnsupportedHeader(tag);
        } catch (ParseException e) {
            throw new IllegalStateException("option tag came from a parsed header: " + tag, e);
        }
    }
}
