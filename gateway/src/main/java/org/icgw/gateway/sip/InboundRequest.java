package org.icgw.gateway.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.InvalidArgumentException;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request as the endpoint hands it to a {@link SipRequestHandler}: the message, where it came
 * from, and the server transaction that absorbs retransmissions and carries the answer back on
 * the connection or address it arrived from.
 */
public final class InboundRequest {

    private static final Logger log = LoggerFactory.getLogger(InboundRequest.class);

    private final Request request;
    private final InetSocketAddress source;
    private final String transport;
    private final SipProvider provider;
    private final ServerTransaction transaction;
    private final SipFactories factories;
    private boolean answered;

    InboundRequest(Request request, InetSocketAddress source, String transport, SipProvider provider,
            ServerTransaction transaction, SipFactories factories) {
        this.request = request;
        this.source = source;
        this.transport = transport;
        this.provider = provider;
        this.transaction = transaction;
        this.factories = factories;
    }

    /** The request. Handlers read it; changing it changes nothing on the wire. */
    public Request request() {
        return request;
    }

    public String method() {
        return request.getMethod();
    }

    /** The address and port the request came from (the packet's, not the Via's). */
    public InetSocketAddress source() {
        return source;
    }

    /** {@code "UDP"} or {@code "TCP"}. */
    public String transport() {
        return transport;
    }

    /** The server transaction, absent for ACK and for requests answered statelessly. */
    public Optional<ServerTransaction> transaction() {
        return Optional.ofNullable(transaction);
    }

    public SipFactories factories() {
        return factories;
    }

    /** A response to this request, to fill in and pass to {@link #respond(Response)}. */
    public Response response(int status) {
        return factories.response(status, request);
    }

    /** Answers with a bare response of this status. */
    public void respond(int status) {
        respond(response(status));
    }

    /**
     * Sends a response through the transaction, or statelessly on the request's own flow (its
     * connection, or its packet's source) when there is none. A failure to send (peer gone,
     * connection closed) is logged, not thrown: the peer will retransmit or give up.
     */
    public void respond(Response response) {
        if (response.getStatusCode() >= 200) {
            answered = true;
        }
        try {
            if (transaction != null) {
                transaction.sendResponse(response);
            } else if (request instanceof SIPRequest r && r.getMessageChannel() instanceof MessageChannel flow) {
                flow.sendMessage((SIPMessage) response);
            } else {
                provider.sendResponse(response);
            }
        } catch (SipException | InvalidArgumentException | IOException | RuntimeException e) {
            log.warn("could not send {} for {} to {} {}: {}", response.getStatusCode(),
                    response.getHeader(CSeqHeader.NAME).toString().trim(), transport, source, e.toString());
        }
    }

    /** Whether a final response has been sent. */
    public boolean answered() {
        return answered;
    }
}
