package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A UDP flow: one peer address and port, reached from the listening socket (so a peer answering
 * to the packet's source reaches the gateway's SIP port). One is made per received datagram and
 * per hop the stack sends to; it holds no socket of its own.
 */
final class SipDatagramChannel extends SipMessageChannel {

    private final SipDatagramProcessor processor;

    SipDatagramChannel(SipDatagramProcessor processor, InetSocketAddress peer, SipHostResolver resolver) {
        super(processor, peer, resolver);
        this.processor = processor;
    }

    @Override
    public void sendMessage(SIPMessage message) throws IOException {
        processor.send(message.encodeAsBytes(getTransport()), peer);
    }

    @Override
    protected void sendMessage(byte[] message, InetAddress address, int port, boolean isRequest) throws IOException {
        processor.send(message, new InetSocketAddress(address, port));
    }

    @Override
    public boolean isReliable() {
        return false;
    }

    @Override
    public boolean isSecure() {
        return false;
    }
}
