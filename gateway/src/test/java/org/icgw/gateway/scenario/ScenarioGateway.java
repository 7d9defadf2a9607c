package org.icgw.gateway.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.b2bua.Trunk;
import org.icgw.gateway.sip.registrar.DigestAlgorithm;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.PolicyStore;

/**
 * The gateway under test, in-process: SIP on a free loopback port, the trunks on the loopback
 * ports the test holds, the embedded store in a temporary folder provisioned from
 * {@code scenarios/seed.yaml}, and call timings short enough for a test.
 *
 * <p>SIPp 3.6.1 computes MD5 digests only and obeys the first challenge of a 401, so the
 * registrar offers MD5 before SHA-256 here (SHA-256 first is covered by the registrar's tests).
 */
final class ScenarioGateway implements AutoCloseable {

    /**
     * What a test may change.
     *
     * @param noAnswer     how long the callee's phone may ring
     * @param mediaTimeout no RTP from a leg this long ends the call; longer than any call here
     *                     except in the media-timeout case
     * @param digitTimeout PIN entry ends after this long without a digit
     */
    record Settings(Path dataDir, List<Integer> trunkPorts, Duration noAnswer, Duration mediaTimeout,
                    Duration digitTimeout, Duration trunkResponseTimeout) {

        static Settings suite(Path dataDir, int... trunkPorts) {
            return new Settings(dataDir, Arrays.stream(trunkPorts).boxed().toList(), Duration.ofSeconds(4),
                    Duration.ofSeconds(120), Duration.ofSeconds(3), Duration.ofSeconds(3));
        }

        Settings withNoAnswer(Duration d) {
            return new Settings(dataDir, trunkPorts, d, mediaTimeout, digitTimeout, trunkResponseTimeout);
        }

        Settings withMediaTimeout(Duration d) {
            return new Settings(dataDir, trunkPorts, noAnswer, d, digitTimeout, trunkResponseTimeout);
        }
    }

    /**
     * Each gateway takes its RTP ports from its own slice of 30000-32767, below the kernel's
     * ephemeral ports (SIPp's and the probes') and outside the default 20000-29999 that other
     * gateways on the machine use, so concurrent tests never contend for a port pair.
     */
    private static final int RTP_BASE = 30_000;
    private static final int RTP_SLICE = 200;
    private static final int RTP_SLICE_COUNT = 13;
    private static final AtomicLong SLICES = new AtomicLong();

    private final Gateway gateway;
    private final int sipPort;

    private ScenarioGateway(Gateway gateway, int sipPort) {
        this.gateway = gateway;
        this.sipPort = sipPort;
    }

    static ScenarioGateway start(Settings s) {
        int port = FreePorts.udpAndTcp();
        int rtpMin = RTP_BASE + (int) (SLICES.getAndIncrement() % RTP_SLICE_COUNT) * RTP_SLICE;
        GatewayConfig base = GatewayConfig.defaults(s.dataDir(), "scenario-suite-pepper");
        GatewayConfig config = new GatewayConfig(
                base.sip().withPort(port),
                base.registrar().withDigestAlgorithms(List.of(DigestAlgorithm.MD5, DigestAlgorithm.SHA_256)),
                base.media().withPorts(rtpMin, rtpMin + RTP_SLICE - 1),
                base.calls().withNoAnswer(s.noAnswer()).withMediaTimeout(s.mediaTimeout())
                        .withDigitTimeout(s.digitTimeout()),
                new GatewayConfig.Trunks(s.trunkPorts().stream().map(p -> new Trunk("127.0.0.1", p, "UDP")).toList(),
                        s.trunkResponseTimeout()),
                base.store(),
                new GatewayConfig.Pins("scenario-suite-pepper", PinHasher.Cost.FAST),
                Optional.of(seed()),
                Duration.ofSeconds(2));
        try {
            return new ScenarioGateway(Gateway.start(config), port);
        } catch (IOException e) {
            throw new UncheckedIOException("gateway did not start", e);
        }
    }

    private static Path seed() {
        try {
            return Path.of(ScenarioGateway.class.getResource("/scenarios/seed.yaml").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    int sipPort() {
        return sipPort;
    }

    PolicyStore store() {
        return gateway.store();
    }

    Gateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
