package org.icgw.gateway.e2e;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipText;
import org.icgw.gateway.sip.torture.Answers;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The in-process gateway of one torture test class, as a JUnit extension registered on a static
 * field: started before the class's tests ({@link GatewayCallTest#config} on free ports with the
 * test seed, in a temporary data folder) and stopped after them. It also holds the checks that the
 * gateway still serves after an attack: an OPTIONS and a real digest REGISTER from fresh sockets.
 */
final class TortureGateway implements BeforeAllCallback, AfterAllCallback {

    /**
     * Per-source and global request rates of a flood test: far above what the test sends, so every
     * message reaches the parser. The floods measure parsing and logging; the rate limits have
     * their own tests (AbuseControlTest, SourceRateLimiterTest).
     */
    static final int FLOOD_RATE = 1_000_000;
    /** How long a check waits for the gateway's answer. */
    static final Duration WAIT = Duration.ofSeconds(5);
    /** T1 of RFC 3261 §17.1.1.1: a probe's retransmission interval over UDP. */
    static final Duration RETRANSMIT = Duration.ofMillis(500);

    private final boolean flood;
    private Path data;
    private Gateway gateway;
    private int port;

    private TortureGateway(boolean flood) {
        this.flood = flood;
    }

    /** A gateway with the call tests' rate limits. */
    static TortureGateway standard() {
        return new TortureGateway(false);
    }

    /** A gateway whose rate limits let a flood through to the parser ({@link #FLOOD_RATE}). */
    static TortureGateway flood() {
        return new TortureGateway(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        data = Files.createTempDirectory("icgw-torture");
        port = FreePorts.udpAndTcp();
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = TortureGateway.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        GatewayConfig config = GatewayCallTest.config(data, port, seed, List.of(FreePorts.udpAndTcp()));
        if (flood) {
            config = config.withSip(config.sip().withRateLimit(FLOOD_RATE, FLOOD_RATE)
                    .withLimits(config.sip().limits().withGlobalRate(FLOOD_RATE, FLOOD_RATE)));
        }
        gateway = Gateway.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        try (Stream<Path> files = Files.walk(data)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    int port() {
        return port;
    }

    /** The gateway's address as the corpus writes it: {@code host:port}. */
    String hostPort() {
        return "127.0.0.1:" + port;
    }

    Gateway gateway() {
        return gateway;
    }

    /** The final status of a well-formed OPTIONS from a fresh socket over {@code transport}, 0 when none came. */
    int options(String transport) throws Exception {
        try (RawSipClient client = transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port)) {
            client.send(SipText.request(client, "OPTIONS", port));
            return client.receiveFinal(WAIT).filter(Answers::isResponse).map(Answers::status).orElse(0);
        }
    }

    /**
     * Whether an OPTIONS from {@code probe} (a UDP client) is answered 200 within {@code wait}. The
     * request is retransmitted every {@link #RETRANSMIT} as RFC 3261 §17.1.2.2 does (Timer E, T1),
     * so one datagram lost in a full receive buffer is not taken for a gateway that stopped answering.
     */
    boolean answersProbe(RawSipClient probe, Duration wait) throws Exception {
        String options = SipText.request(probe, "OPTIONS", port);
        long deadline = System.nanoTime() + wait.toNanos();
        for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            probe.send(options);
            Optional<String> answer = probe.receiveFinal(Duration.ofNanos(Math.min(left, RETRANSMIT.toNanos())));
            if (answer.isPresent()) {
                return answer.filter(Answers::isResponse).map(Answers::status).orElse(0) == 200;
            }
        }
        return false;
    }

    /** A provisioned phone's digest REGISTER over UDP from a fresh socket: the final status. */
    int register() throws Exception {
        try (FakeTerminal phone = new FakeTerminal(port, "pod-1", "pod-1-secret")) {
            return phone.register();
        }
    }
}
