package org.icgw.gateway.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client on a plain socket, for what {@code java.net.http} will not do: send exactly
 * the bytes given (a partial request, an oversized head), bind a chosen loopback source address,
 * read an answer and then see whether the server closed the connection.
 */
final class RawHttpClient implements AutoCloseable {
    /** Longest a read waits: every test's expectation is far below it. */
    static final int READ_TIMEOUT_MS = 5_000;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One answer. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Connects from 127.0.0.1. */
    RawHttpClient(int port) {
        this(port, InetAddress.getLoopbackAddress(), 0);
    }

    /**
     * @param source        the loopback address to connect from
     * @param receiveBuffer the socket's receive buffer in bytes, 0 for the default
     */
    RawHttpClient(int port, InetAddress source, int receiveBuffer) {
        try {
            socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InetAddress loopback(int lastByte) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) lastByte});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET with the token given (none when null), keeping the connection open. */
    static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n";
    }

    void send(String text) {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request and reads its answer. */
    Reply exchange(String request) {
        send(request);
        return read();
    }

    /** Reads one answer: status line, headers, and a body of its Content-Length. */
    Reply read() {
        Reply head = readHead();
        return new Reply(head.status(), head.headers(),
                readBytes(Integer.parseInt(head.headers().getOrDefault("content-length", "0"))));
    }

    /** Reads an answer's status line and headers, leaving its body to be read. */
    Reply readHead() {
        try {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new IllegalStateException("not a status line: " + status);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
            }
            return new Reply(Integer.parseInt(status.substring(9, 12)), headers, new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads exactly {@code n} bytes, or fewer at the end of the stream. */
    byte[] readBytes(int n) {
        try {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether the server closed the connection (end of stream or reset) before
     * {@link #READ_TIMEOUT_MS}; bytes that arrive meanwhile are skipped.
     */
    boolean closedByServer() {
        try {
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // skip what is still in flight
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in a line: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
