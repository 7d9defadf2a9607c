package org.icgw.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration mistakes stop the real process with exit code 2 and exactly one line on stderr
 * naming the key, before anything binds a port.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainProcessTest {

    static final Duration EXIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    void assertConfigError(String expectedLine, String... args) throws Exception {
        try (GatewayProcess p = GatewayProcess.start(dir, Map.of(), List.of(), args)) {
            assertThat(p.awaitExit(EXIT)).isEqualTo(2);
            assertThat(p.stderrLines()).containsExactly(expectedLine);
            assertThat(p.stdout()).isEmpty();
        }
    }

    @Test
    void missingConfigFile() throws Exception {
        assertConfigError("config error: --config: cannot read /no/such/icgw.yaml (no such file)",
                "--config", "/no/such/icgw.yaml");
    }

    @Test
    void unknownKeyInTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("icgw.yaml"), "sip:\n  bind_address: 127.0.0.1\n  prot: 5070\n");

        assertConfigError("config error: sip.prot: unknown key (expected one of: bind_address, port, "
                + "max_message_size, rate_per_second, rate_burst, server_header, limits, registrar)", "--config", file.toString());
    }

    @Test
    void badRtpRangeInTheFileWithAnOverrideOnTop() throws Exception {
        Path file = Files.writeString(dir.resolve("icgw.yaml"), "media: {rtp_port_min: 30000, rtp_port_max: 20001}\n");

        assertConfigError("config error: media.rtp_port_min: 30000 is above media.rtp_port_max 20001",
                "--config", file.toString(), "--sip-port", "5070");
    }

    @Test
    void portOutOfRangeOnTheCommandLine() throws Exception {
        assertConfigError("config error: --sip-port (sip.port): 70000 is out of range 1-65535", "--sip-port", "70000");
    }

    @Test
    void unknownOption() throws Exception {
        assertConfigError("config error: --sip-prot: is not an option (--config, --data, --seed, --jdbc-url, "
                + "--db-user, --node-id, --sip-address, --sip-port, --trunk, --http-port, --digest, --drain)",
                "--sip-prot", "5070");
    }

    @Test
    void badLogFormatProperty() throws Exception {
        try (GatewayProcess p = GatewayProcess.start(dir, Map.of(), List.of("-Dicgw.log.format=xml"))) {
            assertThat(p.awaitExit(EXIT)).isEqualTo(2);
            assertThat(p.stderrLines()).containsExactly("config error: -Dicgw.log.format: 'xml' is not one of text, json");
        }
    }
}
