package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import io.netty.channel.Channel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A TCP flow: a connection to or from one peer. A flow made for a received message is bound to
 * that message's connection, so every response to it goes back on it (RFC 3261 §18.2.2) and a
 * response is never sent on any other connection, nor opens one. A flow the stack asks for to send
 * a request uses the connection open to that peer, or opens one when the peer is configured (a
 * trunk); see {@link SipStreamProcessor#send}.
 */
final class SipStreamChannel extends SipMessageChannel {

    private final SipStreamProcessor processor;
    private final Channel connection;

    SipStreamChannel(SipStreamProcessor processor, InetSocketAddress peer, Channel connection, SipHostResolver resolver) {
        super(processor, peer, resolver);
        this.processor = processor;
        this.connection = connection;
    }

    @Override
    public void sendMessage(SIPMessage message) throws IOException {
        write(message.encodeAsBytes(getTransport()), message instanceof SIPRequest);
    }

    /** The address is this flow's peer: a stream flow writes only on its own connection. */
    @Override
    protected void sendMessage(byte[] message, InetAddress address, int port, boolean isRequest) throws IOException {
        write(message, isRequest);
    }

    private void write(byte[] bytes, boolean isRequest) throws IOException {
        Channel ch = connection;
        if (ch != null && ch.isActive()) {
            processor.write(ch, bytes);
        } else if (isRequest) {
            processor.send(peer, bytes);
        } else {
            throw new IOException("no connection with " + peer + ": a response is not sent on another");
        }
    }

    /** The connection this flow writes on, if any. */
    Channel connection() {
        return connection;
    }

    @Override
    public boolean isReliable() {
        return true;
    }

    @Override
    public boolean isSecure() {
        return false;
    }
}
