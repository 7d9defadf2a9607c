package org.icgw.gateway.e2e;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icgw.gateway.sip.SipFactories;

/**
 * A SIP peer over one UDP socket on loopback that writes its messages by hand and keeps every
 * message it receives, so a test can wait for the one it expects while retransmissions pile up
 * unread. Also binds an RTP socket, so the gateway's media toward it has a live destination; the
 * RTP packets that arrive there are kept (up to {@value #MAX_RTP} of them) and RTP can be sent from it.
 */
public class SipPeer implements AutoCloseable {

    private static final int MAX_RTP = 10_000;

    private final DatagramSocket socket;
    private final DatagramSocket rtp;
    private final List<SipMessage> received = new ArrayList<>();
    private final List<Boolean> consumed = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Thread reader;
    private final Thread rtpReader;
    private final List<RtpIn> rtpReceived = new ArrayList<>();

    /** An RTP packet as it arrived, with the receive time in {@link System#nanoTime()} units. */
    public record RtpIn(long nanos, byte[] data) {
        public boolean marker() {
            return (data[1] & 0x80) != 0;
        }

        public int payloadType() {
            return data[1] & 0x7F;
        }

        public int seq() {
            return ((data[2] & 0xFF) << 8) | (data[3] & 0xFF);
        }

        public long timestamp() {
            return ((long) (data[4] & 0xFF) << 24) | ((data[5] & 0xFF) << 16) | ((data[6] & 0xFF) << 8) | (data[7] & 0xFF);
        }

        public long ssrc() {
            return ((long) (data[8] & 0xFF) << 24) | ((data[9] & 0xFF) << 16) | ((data[10] & 0xFF) << 8)
                    | (data[11] & 0xFF);
        }

        /** The payload of a packet without CSRCs, extension or padding (what the gateway sends). */
        public byte[] payload() {
            return Arrays.copyOfRange(data, 12, data.length);
        }
    }

    public SipPeer() throws IOException {
        this(InetAddress.getLoopbackAddress());
    }

    /** A peer bound to {@code address} (a loopback address such as 127.0.0.2), on free ports. */
    public SipPeer(InetAddress address) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(address, 0));
        this.rtp = new DatagramSocket(new InetSocketAddress(address, 0));
        this.reader = Thread.ofVirtual().name("sip-peer-" + socket.getLocalPort()).start(this::read);
        this.rtpReader = Thread.ofVirtual().name("rtp-peer-" + rtp.getLocalPort()).start(this::readRtp);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int rtpPort() {
        return rtp.getLocalPort();
    }

    public String host() {
        return socket.getLocalAddress().getHostAddress();
    }

    public String via() {
        return "SIP/2.0/UDP " + host() + ":" + port() + ";branch=z9hG4bK" + SipFactories.newTag() + ";rport";
    }

    public String contact(String user) {
        return "<sip:" + user + "@127.0.0.1:" + port() + ">";
    }

    /** An SDP offer or answer for this peer's RTP port. */
    public String sdp(String formats, String direction, String address) {
        StringBuilder sb = new StringBuilder("v=0\r\no=peer 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 ").append(address)
                .append("\r\nt=0 0\r\nm=audio ").append(rtpPort()).append(" RTP/AVP ").append(formats).append("\r\n");
        for (String f : formats.split(" ")) {
            switch (f) {
                case "0" -> sb.append("a=rtpmap:0 PCMU/8000\r\n");
                case "8" -> sb.append("a=rtpmap:8 PCMA/8000\r\n");
                case "18" -> sb.append("a=rtpmap:18 G729/8000\r\n");
                case "101" -> sb.append("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n");
                default -> {
                }
            }
        }
        return sb.append("a=").append(direction).append("\r\n").toString();
    }

    public String sdp() {
        return sdp("0 8 101", "sendrecv", "127.0.0.1");
    }

    public void send(String message, int toPort) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), toPort)));
    }

    /** Sends one RTP packet from this peer's RTP socket to {@code toPort} on loopback. */
    public void sendRtp(byte[] packet, int toPort) throws IOException {
        rtp.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), toPort)));
    }

    /** Every RTP packet received so far, in arrival order. */
    public List<RtpIn> rtpReceived() {
        lock.lock();
        try {
            return List.copyOf(rtpReceived);
        } finally {
            lock.unlock();
        }
    }

    /** The media port of an SDP body's first {@code m=audio} line. */
    public static int mediaPort(String sdp) {
        Matcher m = Pattern.compile("m=audio (\\d+) ").matcher(sdp);
        if (!m.find()) {
            throw new AssertionError("no m=audio line in " + sdp);
        }
        return Integer.parseInt(m.group(1));
    }

    /** The first unread message matching {@code what}, waiting up to {@code timeout}; it is then read. */
    public Optional<SipMessage> poll(Predicate<SipMessage> what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (true) {
                for (int i = 0; i < received.size(); i++) {
                    if (!consumed.get(i) && what.test(received.get(i))) {
                        consumed.set(i, true);
                        return Optional.of(received.get(i));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                arrived.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    public SipMessage await(Predicate<SipMessage> what, Duration timeout, String description) {
        return poll(what, timeout).orElseThrow(() -> new AssertionError(
                "no " + description + " within " + timeout + "; got " + receivedSoFar()));
    }

    /** Every message received so far, read or not. */
    public List<SipMessage> receivedSoFar() {
        lock.lock();
        try {
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    public static Predicate<SipMessage> request(String method) {
        return m -> m.isRequest() && m.method().equals(method);
    }

    public static Predicate<SipMessage> response(String method, int status) {
        return m -> !m.isRequest() && m.cseqMethod().equals(method) && m.status() == status;
    }

    /** A final (non-1xx) response to {@code method}. */
    public static Predicate<SipMessage> finalResponse(String method) {
        return m -> !m.isRequest() && m.cseqMethod().equals(method) && m.status() >= 200;
    }

    private void read() {
        byte[] buffer = new byte[65_535];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            String text = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
            if (text.isBlank()) {
                continue;
            }
            SipMessage m = SipMessage.parse(text);
            lock.lock();
            try {
                received.add(m);
                consumed.add(false);
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void readRtp() {
        byte[] buffer = new byte[2048];
        while (!rtp.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                rtp.receive(packet);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (packet.getLength() < 12) {
                continue;
            }
            RtpIn in = new RtpIn(System.nanoTime(),
                    Arrays.copyOfRange(packet.getData(), 0, packet.getLength()));
            lock.lock();
            try {
                if (rtpReceived.size() < MAX_RTP) {
                    rtpReceived.add(in);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        rtp.close();
        reader.join(TimeUnit.SECONDS.toMillis(2));
        rtpReader.join(TimeUnit.SECONDS.toMillis(2));
    }
}
