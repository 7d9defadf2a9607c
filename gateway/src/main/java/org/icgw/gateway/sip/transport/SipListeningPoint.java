package org.icgw.gateway.sip.transport;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * What the gateway's UDP and TCP listening points share as JAIN-SIP message processors: the
 * transport they run on, binding a Netty channel, and turning a hop the stack chose into an
 * address without a lookup.
 */
abstract class SipListeningPoint extends MessageProcessor {

    /** The SIP port of RFC 3261 §18.1.1, for a hop without one. */
    static final int DEFAULT_PORT = 5060;

    protected final SipTransport transport;

    SipListeningPoint(InetAddress address, int port, String transportName, SIPTransactionStack stack, SipTransport transport) {
        super(address, port, transportName, stack);
        this.transport = transport;
    }

    /** Waits for a bind; the failure names the transport, address and port. */
    protected Channel bound(ChannelFuture bind) throws IOException {
        bind.awaitUninterruptibly();
        if (!bind.isSuccess()) {
            throw new IOException(getTransport() + " " + getIpAddress().getHostAddress() + ":" + getPort() + ": "
                    + bind.cause().getMessage(), bind.cause());
        }
        return bind.channel();
    }

    /** The address of a hop: a literal or a configured name the resolver holds, never a lookup. */
    protected InetSocketAddress target(HostPort hop) throws IOException {
        InetAddress address = transport.resolver().address(hop.getHost().getHostname())
                .orElseThrow(() -> new IOException("no address for a " + getTransport()
                        + " hop (names from messages are not resolved)"));
        return new InetSocketAddress(address, hop.hasPort() ? hop.getPort() : DEFAULT_PORT);
    }

    /** A reader for this listening point's messages (stateless: one serves every connection). */
    protected SipMessageReader newReader() {
        return new SipMessageReader(sipStack, transport.config().maxMessageSize(), getTransport());
    }

    @Override
    public SIPTransactionStack getSIPStack() {
        return sipStack;
    }

    @Override
    public int getDefaultTargetPort() {
        return DEFAULT_PORT;
    }

    @Override
    public boolean isSecure() {
        return false;
    }

    @Override
    public int getMaximumMessageSize() {
        return transport.config().maxMessageSize();
    }
}
