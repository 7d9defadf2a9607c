package org.icgw.gateway.sip.b2bua;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sip.message.Message;
import org.icgw.gateway.sip.InboundRequest;

/**
 * The transport source a dialog was set up with, which every request of the peer in that dialog
 * must come from: trust comes from where a packet arrived, never from what it says.
 *
 * @param address   the peer's address
 * @param port      the peer's port, or {@link #ANY_PORT}
 * @param transport {@code UDP} or {@code TCP}
 */
record Flow(InetAddress address, int port, String transport) {

    /** Any source port of {@link #address}: a TCP trunk may open its own connection for its requests. */
    static final int ANY_PORT = 0;

    Flow {
        Objects.requireNonNull(address, "address");
        transport = transport.toUpperCase(Locale.ROOT);
        if (port < ANY_PORT || port > 65_535) {
            throw new IllegalArgumentException("port: must be 0-65535, got " + port);
        }
    }

    /** The exact flow a request came on: a terminal's INVITE (address, port and transport). */
    static Flow of(InboundRequest request) {
        InetSocketAddress source = sourceOf(request);
        return new Flow(source.getAddress(), source.getPort(), transportOf(request));
    }

    /**
     * The flow of a trunk the gateway sent its INVITE to: over UDP its address and port; over TCP
     * its address and any port, since the trunk may send its requests on a connection it opens.
     */
    static Flow trunk(InetAddress address, int port, String transport) {
        return new Flow(address, transport.equalsIgnoreCase("TCP") ? ANY_PORT : port, transport);
    }

    /** Whether {@code request} came on this flow. */
    boolean admits(InboundRequest request) {
        return admits(sourceOf(request), transportOf(request));
    }

    /** Whether a request from {@code source} over {@code transport} came on this flow. */
    boolean admits(InetSocketAddress source, String transport) {
        return source != null && address.equals(source.getAddress())
                && (port == ANY_PORT || port == source.getPort())
                && this.transport.equalsIgnoreCase(transport);
    }

    /**
     * Where a request came from: the packet's (or connection's) source as the transport recorded
     * it on the message. Over UDP the stack's "remote port" is the port the top Via claims, which
     * a forger writes at will; the packet's own source port is what the flow must match.
     */
    static InetSocketAddress sourceOf(InboundRequest request) {
        return packetSource(request.request()).orElse(request.source());
    }

    /** The source of a received message as the transport recorded it, when it did. */
    static Optional<InetSocketAddress> packetSource(Message message) {
        if (message instanceof SIPMessage m && m.getPeerPacketSourceAddress() != null && m.getPeerPacketSourcePort() > 0) {
            return Optional.of(new InetSocketAddress(m.getPeerPacketSourceAddress(), m.getPeerPacketSourcePort()));
        }
        return Optional.empty();
    }

    /**
     * The transport a request came on, as the channel that read it says. The endpoint names an
     * ACK's transport from its Via, which the sender writes; the channel is what carried it.
     */
    static String transportOf(InboundRequest request) {
        if (request.request() instanceof SIPRequest r && r.getMessageChannel() instanceof MessageChannel channel
                && channel.getTransport() != null) {
            return channel.getTransport().toUpperCase(Locale.ROOT);
        }
        return request.transport();
    }

    @Override
    public String toString() {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + (port == ANY_PORT ? "*" : port)
                + "/" + transport;
    }
}
