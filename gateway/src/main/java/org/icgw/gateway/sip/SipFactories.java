package org.icgw.gateway.sip;

import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import javax.sip.PeerUnavailableException;
import javax.sip.SipFactory;
import javax.sip.address.AddressFactory;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The JAIN-SIP message, header and address factories, with the one response helper every handler
 * needs. The factories are stateless and independent of any stack, so one instance serves all.
 */
public final class SipFactories {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final AddressFactory addresses;

    private SipFactories(MessageFactory messages, HeaderFactory headers, AddressFactory addresses) {
        this.messages = messages;
        this.headers = headers;
        this.addresses = addresses;
    }

    /** The NIST implementation's factories. */
    public static SipFactories create() {
        SipFactory factory = SipFactory.getInstance();
        factory.setPathName("gov.nist");
        try {
            return new SipFactories(
                    factory.createMessageFactory(), factory.createHeaderFactory(), factory.createAddressFactory());
        } catch (PeerUnavailableException e) {
            throw new IllegalStateException("JAIN-SIP reference implementation missing from the class path", e);
        }
    }

    public MessageFactory messages() {
        return messages;
    }

    public HeaderFactory headers() {
        return headers;
    }

    public AddressFactory addresses() {
        return addresses;
    }

    /**
     * A response to {@code request} with the given status. A final response gets a To tag when the
     * request had none (RFC 3261 §8.2.6.2).
     */
    public Response response(int status, Request request) {
        try {
            Response response = messages.createResponse(status, request);
            ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
            if (status >= 200 && to != null && to.getTag() == null) {
                to.setTag(newTag());
            }
            return response;
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot answer " + status + " to " + request.getMethod(), e);
        }
    }

    /** A fresh random tag or token: 64 bits as hex. */
    public static String newTag() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
