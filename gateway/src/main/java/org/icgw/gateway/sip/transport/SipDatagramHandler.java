package org.icgw.gateway.sip.transport;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.icgw.gateway.sip.SourceGuard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the UDP listening socket: every datagram is charged to its source before it is parsed,
 * then read by {@link SipMessageReader}; an accepted message goes to the stack on the lane of its
 * source address and port, a refused one gets its fixed answer (or nothing) at the packet's source.
 */
final class SipDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(SipDatagramHandler.class);

    private final SipDatagramProcessor processor;
    private final SipTransport transport;
    private final SipMessageReader reader;

    SipDatagramHandler(SipDatagramProcessor processor, SipTransport transport, SipMessageReader reader) {
        this.processor = processor;
        this.transport = transport;
        this.reader = reader;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        InetSocketAddress source = packet.sender();
        if (source == null || source.getAddress() == null) {
            return;
        }
        SourceGuard.Verdict verdict = transport.admit(source, transport.resolver().isConfiguredPeer(source));
        if (verdict == SourceGuard.Verdict.BANNED || verdict == SourceGuard.Verdict.OVER_BUDGET) {
            return;
        }
        byte[] bytes = ByteBufUtil.getBytes(packet.content());
        SipMessageReader.Outcome outcome = reader.datagram(bytes, source);
        if (verdict == SourceGuard.Verdict.RATE_LIMITED) {
            reader.busy(outcome).ifPresent(answer -> send(answer, source));
            return;
        }
        switch (outcome) {
            case SipMessageReader.Accepted accepted ->
                    transport.deliver(source, new SipDatagramChannel(processor, source, transport.resolver()),
                            accepted.message());
            case SipMessageReader.Refused refused -> transport.refuse(refused, source, bytes).ifPresent(a -> send(a, source));
            case SipMessageReader.Ignored ignored -> { }
        }
    }

    private void send(byte[] answer, InetSocketAddress target) {
        try {
            processor.send(answer, target);
        } catch (IOException e) {
            log.debug("answer to {} not sent: {}", target, e.toString());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("UDP read failed: {}", cause.toString());
    }
}
