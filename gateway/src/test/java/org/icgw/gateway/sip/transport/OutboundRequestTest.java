package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.SipURI;
import javax.sip.message.Request;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.SipResponseListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests the gateway sends: over TCP on one connection per configured peer, reused, and never to
 * an address or name that is not configured.
 */
class OutboundRequestTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private final BlockingQueue<Integer> statuses = new LinkedBlockingQueue<>();
    private SipEndpoint endpoint;
    private int port;

    private void start(List<InetSocketAddress> peers) throws Exception {
        port = FreePorts.udpAndTcp();
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000))
                .peers(peers)
                .responses(new SipResponseListener() {
                    @Override
                    public void response(ResponseEvent event) {
                        statuses.add(event.getResponse().getStatusCode());
                    }

                    @Override
                    public void timeout(TimeoutEvent event) {
                        statuses.add(-1);
                    }
                })
                .build();
        endpoint.start();
    }

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    private void sendOptions(String host, int targetPort, String transport) throws Exception {
        SipFactories f = endpoint.factories();
        SipURI target = f.addresses().createSipURI("peer", host);
        target.setPort(targetPort);
        target.setTransportParam(transport);
        SipURI self = f.addresses().createSipURI("icgw", "127.0.0.1");
        Request options = f.messages().createRequest(target, Request.OPTIONS, endpoint.provider().getNewCallId(),
                f.headers().createCSeqHeader(1L, Request.OPTIONS),
                f.headers().createFromHeader(f.addresses().createAddress(self), SipFactories.newTag()),
                f.headers().createToHeader(f.addresses().createAddress(target), null),
                List.of(f.headers().createViaHeader("127.0.0.1", port, transport, null)),
                f.headers().createMaxForwardsHeader(70));
        endpoint.provider().getNewClientTransaction(options).sendRequest();
    }

    /** Reads one request from a stream (header section, then Content-Length bytes). */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int length = Integer.parseInt(RawSipClient.header(text, "Content-Length").orElse("0"));
        return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

    /** A 200 for {@code request}, echoing its Via, From, To, Call-ID and CSeq. */
    private static byte[] ok(String request) {
        StringBuilder response = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String name : List.of("Via", "From", "To", "Call-ID", "CSeq")) {
            response.append(name).append(": ").append(RawSipClient.header(request, name).orElseThrow()).append("\r\n");
        }
        return response.append("Content-Length: 0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void requestsToAConfiguredTcpPeerShareOneConnectionAndItsAnswersComeBack() throws Exception {
        try (ServerSocket trunk = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            trunk.setSoTimeout((int) WAIT.toMillis());
            start(List.of(InetSocketAddress.createUnresolved("127.0.0.1", trunk.getLocalPort())));

            sendOptions("127.0.0.1", trunk.getLocalPort(), "tcp");
            try (Socket connection = trunk.accept()) {
                connection.setSoTimeout((int) WAIT.toMillis());
                String first = readRequest(connection.getInputStream());
                connection.getOutputStream().write(ok(first));
                assertThat(statuses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);

                sendOptions("127.0.0.1", trunk.getLocalPort(), "tcp");
                String second = readRequest(connection.getInputStream());
                connection.getOutputStream().write(ok(second));
                assertThat(statuses.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);

                assertThat(first).startsWith("OPTIONS sip:peer@127.0.0.1:" + trunk.getLocalPort() + ";transport=tcp SIP/2.0");
                assertThat(second).startsWith("OPTIONS ");
                trunk.setSoTimeout(300);
                assertThatThrownBy(trunk::accept).isInstanceOf(SocketTimeoutException.class);
            }
        }
    }

    @Test
    void noConnectionIsOpenedToATcpAddressThatIsNotConfigured() throws Exception {
        try (ServerSocket stranger = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            start(List.of());

            assertThatThrownBy(() -> sendOptions("127.0.0.1", stranger.getLocalPort(), "tcp"))
                    .isInstanceOf(SipException.class);

            stranger.setSoTimeout(300);
            assertThatThrownBy(stranger::accept).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void aConfiguredPeerThatRefusedTheLastConnectionFailsTheNextSendAtOnce() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        start(List.of(InetSocketAddress.createUnresolved("127.0.0.1", closedPort)));

        sendOptions("127.0.0.1", closedPort, "tcp"); // connects in the background: the caller does not wait

        assertThat(Await.until(() -> {
            try {
                sendOptions("127.0.0.1", closedPort, "tcp");
                return false;
            } catch (Exception refusedAtOnce) {
                return refusedAtOnce instanceof SipException;
            }
        }, WAIT)).isTrue();
    }

    @Test
    void aNameThatIsNotConfiguredIsNeitherResolvedNorSentTo() throws Exception {
        start(List.of());

        assertThatThrownBy(() -> sendOptions("trunk.evil.invalid", 5099, "udp")).isInstanceOf(SipException.class);

        assertThat(RecordingResolverProvider.lookedUp()).noneMatch(name -> name.endsWith("evil.invalid"));
    }

    @Test
    void aConfiguredNameIsSentToAtTheAddressItResolvedTo() throws Exception {
        try (java.net.DatagramSocket trunk = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            trunk.setSoTimeout((int) WAIT.toMillis());
            start(List.of(InetSocketAddress.createUnresolved("localhost", trunk.getLocalPort())));

            sendOptions("localhost", trunk.getLocalPort(), "udp");

            java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[4096], 4096);
            trunk.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII))
                    .startsWith("OPTIONS sip:peer@localhost:" + trunk.getLocalPort());
            assertThat(packet.getPort()).isEqualTo(port);
        }
    }
}
