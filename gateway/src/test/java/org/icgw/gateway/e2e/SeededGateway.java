package org.icgw.gateway.e2e;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.icgw.gateway.Gateway;

/** A real gateway for the in-process call tests, provisioned with the test seed ({@code /e2e/seed.yaml}). */
final class SeededGateway {
    private SeededGateway() {
    }

    /** Copies the test seed into {@code data} and starts a gateway on {@link GatewayCallTest#config}. */
    static Gateway start(Path data, int sipPort, List<Integer> trunkPorts) throws Exception {
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = SeededGateway.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        return Gateway.start(GatewayCallTest.config(data, sipPort, seed, trunkPorts));
    }
}
