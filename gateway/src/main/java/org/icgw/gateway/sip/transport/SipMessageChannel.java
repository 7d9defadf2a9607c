package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.RawMessageChannel;
import gov.nist.javax.sip.stack.SIPClientTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import gov.nist.javax.sip.stack.ServerRequestInterface;
import gov.nist.javax.sip.stack.ServerResponseInterface;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import javax.sip.address.Hop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flow as JAIN-SIP's transaction layer sees it: the peer's address and port (for UDP the
 * packet's source, for TCP the connection's remote end), never what a Via says. Received messages
 * enter the stack through {@link #processMessage}, the same steps as the stack's own
 * {@code UDPMessageChannel.processMessage}; the stack answers and sends through the subclass's
 * {@code sendMessage}. The transport owns the flow's lifetime, so {@link #close()} does nothing.
 */
abstract class SipMessageChannel extends MessageChannel implements RawMessageChannel {

    private static final Logger log = LoggerFactory.getLogger(SipMessageChannel.class);

    protected final SIPTransactionStack stack;
    protected final InetSocketAddress peer;
    private final SipHostResolver resolver;

    SipMessageChannel(MessageProcessor processor, InetSocketAddress peer, SipHostResolver resolver) {
        this.messageProcessor = processor;
        this.stack = processor.getSIPStack();
        this.peer = peer;
        this.resolver = resolver;
    }

    /** Hands a parsed, checked message to the transaction layer (on a dispatcher lane, never an event loop). */
    @Override
    public void processMessage(SIPMessage message) {
        message.setRemoteAddress(peer.getAddress());
        message.setRemotePort(peer.getPort());
        message.setLocalAddress(messageProcessor.getIpAddress());
        message.setLocalPort(getPort());
        message.setPeerPacketSourceAddress(peer.getAddress());
        message.setPeerPacketSourcePort(peer.getPort());
        if (message instanceof SIPRequest request) {
            ServerRequestInterface handler = stack.newSIPServerRequest(request, this);
            if (handler == null) {
                log.debug("stack took no {} from {}", request.getMethod(), peer);
                return;
            }
            try {
                handler.processRequest(request, this);
            } finally {
                if (handler instanceof SIPTransaction tx && !tx.passToListener()) {
                    tx.releaseSem();
                }
            }
            return;
        }
        SIPResponse response = (SIPResponse) message;
        try {
            response.checkHeaders();
        } catch (ParseException e) {
            log.debug("response from {} lacks a header the stack needs", peer);
            return;
        }
        ServerResponseInterface handler = stack.newSIPServerResponse(response, this);
        if (handler == null) {
            return;
        }
        try {
            if (handler instanceof SIPClientTransaction ct && !ct.checkFromTag(response)) {
                log.debug("response from {} with a From tag of no transaction dropped", peer);
                return;
            }
            handler.processResponse(response, this);
        } finally {
            if (handler instanceof SIPTransaction tx && !tx.passToListener()) {
                tx.releaseSem();
            }
        }
    }

    /**
     * Sends to a hop without looking its host up: an address literal, or a configured name the
     * resolver already holds (the stack's own version resolves {@code hop.getHost()} in place).
     */
    @Override
    public void sendMessage(SIPMessage message, Hop hop) throws IOException {
        InetAddress address = resolver.address(hop.getHost())
                .orElseThrow(() -> new IOException("no address for next hop (names from messages are not resolved)"));
        sendMessage(message, address, hop.getPort());
    }

    @Override
    public void close() {
        // The transport closes flows (timeouts, limits, stop); the stack's use counts do not.
    }

    @Override
    public SIPTransactionStack getSIPStack() {
        return stack;
    }

    @Override
    public String getTransport() {
        return messageProcessor.getTransport();
    }

    @Override
    public String getPeerAddress() {
        return peer.getAddress().getHostAddress();
    }

    @Override
    protected InetAddress getPeerInetAddress() {
        return peer.getAddress();
    }

    @Override
    protected String getPeerProtocol() {
        return getTransport();
    }

    @Override
    public int getPeerPort() {
        return peer.getPort();
    }

    @Override
    public int getPeerPacketSourcePort() {
        return peer.getPort();
    }

    @Override
    public InetAddress getPeerPacketSourceAddress() {
        return peer.getAddress();
    }

    @Override
    public String getKey() {
        return getKey(peer.getAddress(), peer.getPort(), getTransport());
    }

    @Override
    public String getViaHost() {
        return messageProcessor.getIpAddress().getHostAddress();
    }

    @Override
    public int getViaPort() {
        return messageProcessor.getPort();
    }

    /** The peer's address and port. */
    InetSocketAddress peer() {
        return peer;
    }

    @Override
    public String toString() {
        return getTransport() + " flow with " + peer;
    }
}
