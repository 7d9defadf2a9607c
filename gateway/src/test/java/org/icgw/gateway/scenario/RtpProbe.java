package org.icgw.gateway.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.media.codec.G711;

/**
 * A callee's ear: a loopback UDP socket named in the trunk's SDP answer, keeping every PCMU RTP
 * packet the gateway sends to the callee with its arrival time, so a test can find a prompt in
 * what the callee heard. It sends nothing.
 */
final class RtpProbe implements AutoCloseable {
    /** One PCMU packet as heard. */
    record Heard(Instant at, short[] pcm) {
    }

    private static final int FRAME = 160;

    private final DatagramSocket socket;
    private final List<Heard> heard = new ArrayList<>();
    private final Thread reader;

    RtpProbe() {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reader = Thread.ofVirtual().name("rtp-probe-" + socket.getLocalPort()).start(this::read);
    }

    int port() {
        return socket.getLocalPort();
    }

    private void read() {
        byte[] buf = new byte[2048];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException closed) {
                return;
            }
            int cc = buf[0] & 0x0F;
            int header = 12 + 4 * cc;
            int pt = buf[1] & 0x7F;
            if (p.getLength() <= header || pt != RtpCapture.PCMU) {
                continue;
            }
            short[] pcm = new short[p.getLength() - header];
            G711.decodeUlaw(buf, header, pcm, 0, pcm.length);
            synchronized (heard) {
                heard.add(new Heard(Instant.now(), pcm));
            }
        }
    }

    /**
     * Where {@code prompt} (8 kHz PCM) begins in what was heard: the arrival time of the packet
     * holding its first sample, at the offset whose normalised cross-correlation with the prompt
     * is highest, provided that it reaches {@code minCorrelation}; empty otherwise.
     */
    Optional<Instant> find(short[] prompt, double minCorrelation) {
        List<Heard> copy;
        synchronized (heard) {
            copy = List.copyOf(heard);
        }
        int total = copy.stream().mapToInt(h -> h.pcm().length).sum();
        double[] audio = new double[total];
        Instant[] arrival = new Instant[total];
        int n = 0;
        for (Heard h : copy) {
            for (short s : h.pcm()) {
                arrival[n] = h.at();
                audio[n++] = s;
            }
        }
        double promptEnergy = 0;
        for (short s : prompt) {
            promptEnergy += (double) s * s;
        }
        double best = 0;
        int bestAt = -1;
        // A mixed prompt starts with a frame of the gateway's paced stream: one 20 ms packet.
        for (int off = 0; off + prompt.length <= total; off += FRAME) {
            double dot = 0;
            double energy = 0;
            for (int i = 0; i < prompt.length; i++) {
                double a = audio[off + i];
                dot += a * prompt[i];
                energy += a * a;
            }
            if (energy == 0) {
                continue;
            }
            double c = dot / Math.sqrt(energy * promptEnergy);
            if (c > best) {
                best = c;
                bestAt = off;
            }
        }
        return best >= minCorrelation ? Optional.of(arrival[bestAt]) : Optional.empty();
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
