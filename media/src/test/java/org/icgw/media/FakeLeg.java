package org.icgw.media;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.icgw.media.rtp.RtpPacket;

/**
 * A phone or trunk in tests: plain datagram sockets on 127.0.0.x, an RTP port and the RTCP port
 * above it, taken from 45000-45999.
 */
final class FakeLeg implements AutoCloseable {
    private static final AtomicInteger NEXT = new AtomicInteger(45000);

    final DatagramSocket rtp;
    final DatagramSocket rtcp;

    FakeLeg() {
        this(InetAddress.getLoopbackAddress());
    }

    FakeLeg(InetAddress address) {
        DatagramSocket[] pair = bind(address);
        this.rtp = pair[0];
        this.rtcp = pair[1];
    }

    private static DatagramSocket[] bind(InetAddress address) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = NEXT.getAndAdd(2);
            if (port > 45998) {
                NEXT.set(45000);
                continue;
            }
            DatagramSocket r = null;
            try {
                r = new DatagramSocket(new InetSocketAddress(address, port));
                DatagramSocket c = new DatagramSocket(new InetSocketAddress(address, port + 1));
                return new DatagramSocket[] {r, c};
            } catch (IOException e) {
                if (r != null) {
                    r.close();
                }
            }
        }
        throw new IllegalStateException("no free test port pair in 45000-45999");
    }

    InetSocketAddress address() {
        return (InetSocketAddress) rtp.getLocalSocketAddress();
    }

    void send(int toPort, byte[] packet) {
        send(rtp, toPort, packet);
    }

    void sendRtcp(int toPort, byte[] packet) {
        send(rtcp, toPort, packet);
    }

    private static void send(DatagramSocket socket, int toPort, byte[] packet) {
        try {
            socket.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), toPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Receives until {@code count} packets arrived or {@code quietMillis} pass without one; the
     * first packet is awaited for at least 5 s, as a loaded build machine may delay the relay.
     */
    List<byte[]> receive(int count, int quietMillis) {
        return receive(rtp, count, quietMillis);
    }

    List<byte[]> receiveRtcp(int count, int quietMillis) {
        return receive(rtcp, count, quietMillis);
    }

    private static List<byte[]> receive(DatagramSocket socket, int count, int quietMillis) {
        List<byte[]> got = new ArrayList<>();
        byte[] buf = new byte[2048];
        try {
            socket.setSoTimeout(Math.max(quietMillis, 5000));
            while (got.size() < count) {
                if (got.size() == 1) {
                    socket.setSoTimeout(quietMillis);
                }
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                got.add(Arrays.copyOf(p.getData(), p.getLength()));
            }
        } catch (SocketTimeoutException e) {
            return got;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return got;
    }

    @Override
    public void close() {
        rtp.close();
        rtcp.close();
    }

    /** A version 2 RTP packet without CSRCs, extension or padding. */
    static byte[] rtp(int pt, int seq, long ts, long ssrc, byte[] payload) {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) pt;
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            p[4 + i] = (byte) (ts >> (24 - 8 * i));
            p[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, p, 12, payload.length);
        return p;
    }

    /** Parsed header fields and payload of a received packet. */
    record Rtp(int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
        static Rtp of(byte[] packet) {
            RtpPacket p = new RtpPacket();
            if (!p.parse(packet, 0, packet.length).isValid()) {
                throw new AssertionError("received an invalid RTP packet");
            }
            return new Rtp(p.payloadType(), p.marker(), p.sequenceNumber(), p.timestamp(), p.ssrc(),
                    Arrays.copyOfRange(packet, p.payloadOffset(), p.payloadOffset() + p.payloadLength()));
        }
    }

    static List<Rtp> parse(List<byte[]> packets) {
        return packets.stream().map(Rtp::of).toList();
    }
}
