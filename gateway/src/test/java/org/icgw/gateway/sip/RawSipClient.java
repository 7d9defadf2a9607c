package org.icgw.gateway.sip;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP client over a plain socket that sends hand-written text and reads raw responses, so tests
 * can send what no well-behaved stack would.
 */
public final class RawSipClient implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^(?:Content-Length|l)\\s*:\\s*(\\d+)\\s*$");

    private final String transport;
    private final InetSocketAddress server;
    private final DatagramSocket udp;
    private final Socket tcp;

    private RawSipClient(String transport, InetSocketAddress server, InetAddress localAddress) throws IOException {
        this.transport = transport;
        this.server = server;
        if (transport.equals("UDP")) {
            this.udp = new DatagramSocket(new InetSocketAddress(localAddress, 0));
            this.tcp = null;
        } else {
            this.udp = null;
            this.tcp = new Socket();
            tcp.bind(new InetSocketAddress(localAddress, 0));
            tcp.connect(server, 2000);
        }
    }

    public static RawSipClient udp(int serverPort) throws IOException {
        return udp(serverPort, InetAddress.getLoopbackAddress());
    }

    /** A UDP client sending from {@code localAddress} (another loopback address acts as another source). */
    public static RawSipClient udp(int serverPort, InetAddress localAddress) throws IOException {
        return new RawSipClient("UDP", new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), localAddress);
    }

    public static RawSipClient tcp(int serverPort) throws IOException {
        return tcp(serverPort, InetAddress.getLoopbackAddress());
    }

    /** A TCP client connecting from {@code localAddress} (another loopback address acts as another source). */
    public static RawSipClient tcp(int serverPort, InetAddress localAddress) throws IOException {
        return new RawSipClient("TCP", new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort), localAddress);
    }

    public String transport() {
        return transport;
    }

    public String localHost() {
        return udp != null ? udp.getLocalAddress().getHostAddress() : tcp.getLocalAddress().getHostAddress();
    }

    public int localPort() {
        return udp != null ? udp.getLocalPort() : tcp.getLocalPort();
    }

    /** A Via header value for this socket with a fresh branch. */
    public String via() {
        return "SIP/2.0/" + transport + " " + localHost() + ":" + localPort() + ";branch=z9hG4bK" + SipFactories.newTag() + ";rport";
    }

    public void send(String message) throws IOException {
        send(message.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        if (udp != null) {
            udp.send(new DatagramPacket(bytes, bytes.length, server));
        } else {
            tcp.getOutputStream().write(bytes);
            tcp.getOutputStream().flush();
        }
    }

    /** The next message received within {@code timeout}, or empty (also when a TCP peer closed). */
    public Optional<String> receive(Duration timeout) throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        if (udp != null) {
            udp.setSoTimeout(millis);
            byte[] buffer = new byte[65_535];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            return Optional.of(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
        tcp.setSoTimeout(millis);
        try {
            return readTcpMessage(tcp.getInputStream());
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        } catch (IOException reset) {
            return Optional.empty();
        }
    }

    /** The next final (non-1xx) response within {@code timeout}, skipping provisional ones. */
    public Optional<String> receiveFinal(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            Optional<String> message = receive(Duration.ofNanos(left));
            if (message.isEmpty() || statusOf(message.get()) >= 200) {
                return message;
            }
        }
    }

    /** Whether a TCP peer has closed the connection (a read returns end of stream within the timeout). */
    public boolean peerClosed(Duration timeout) throws IOException {
        tcp.setSoTimeout((int) timeout.toMillis());
        try {
            return tcp.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static Optional<String> readTcpMessage(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b == -1) {
                return Optional.empty();
            }
            head.write(b);
            state = switch (state) {
                case 0, 2 -> b == '\r' ? state + 1 : 0;
                case 1, 3 -> b == '\n' ? state + 1 : (b == '\r' ? 1 : 0);
                default -> 0;
            };
        }
        String headers = head.toString(StandardCharsets.UTF_8);
        Matcher m = CONTENT_LENGTH.matcher(headers);
        int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
        byte[] body = in.readNBytes(length);
        return Optional.of(headers + new String(body, StandardCharsets.UTF_8));
    }

    /** The status code of a response's first line. */
    public static int statusOf(String response) {
        if (!response.startsWith("SIP/2.0 ")) {
            throw new IllegalArgumentException("not a response: " + response.lines().findFirst().orElse(""));
        }
        return Integer.parseInt(response.substring(8, 11));
    }

    /** Every value of a header (case-insensitive name), in order. */
    public static java.util.List<String> headers(String message, String name) {
        String head = message.split("\r\n\r\n", 2)[0];
        return head.lines().skip(1)
                .filter(line -> line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":"))
                .map(line -> line.substring(line.indexOf(':') + 1).trim())
                .toList();
    }

    /** The first value of a header, if present. */
    public static Optional<String> header(String message, String name) {
        return headers(message, name).stream().findFirst();
    }

    @Override
    public void close() throws IOException {
        if (udp != null) {
            udp.close();
        } else {
            tcp.close();
        }
    }
}
