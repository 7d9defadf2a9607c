package org.icgw.gateway.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds a trunk's address (UDP and TCP on one loopback port) where no call may arrive, and
 * keeps whatever does: a denied call must never reach the trunk, so a test asserts that
 * {@link #received()} is empty once the call's record is written.
 */
final class TrunkSilence implements AutoCloseable {
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Thread udpReader;
    private final Thread tcpReader;

    TrunkSilence(int port) {
        try {
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            tcp = new ServerSocket(port, 4, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hold trunk port " + port, e);
        }
        udpReader = Thread.ofVirtual().name("trunk-silence-udp-" + port).start(this::readUdp);
        tcpReader = Thread.ofVirtual().name("trunk-silence-tcp-" + port).start(this::acceptTcp);
    }

    /** The first line of every datagram, and every TCP connection, that reached the trunk. */
    List<String> received() {
        return List.copyOf(received);
    }

    private void readUdp() {
        byte[] buf = new byte[65_535];
        while (!udp.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                udp.receive(p);
            } catch (IOException closed) {
                return;
            }
            String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
            int eol = text.indexOf('\r');
            received.add("UDP " + (eol < 0 ? text : text.substring(0, eol)));
        }
    }

    private void acceptTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                received.add("TCP connection from " + s.getRemoteSocketAddress());
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                received.add("TCP error " + e);
            }
        }
    }

    @Override
    public void close() {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing a listening socket: nothing left to do
        }
        try {
            udpReader.join(2_000);
            tcpReader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
