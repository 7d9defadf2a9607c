package org.icgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.icgw.gateway.GatewayConfig;

/**
 * Coverage-guided fuzzing of the configuration loader with YAML files (any bytes). In the test run
 * only the seeds under {@code ConfigLoaderFuzzTestInputs/} run; {@code deploy/fuzz.sh config}
 * fuzzes.
 *
 * <p>A file gives a {@link GatewayConfig} or a {@link ConfigException} naming a key; nothing else
 * may come out of {@link ConfigLoader#load}. The data folder is a temporary one (given as the
 * command-line option would), and the environment is empty.
 */
class ConfigLoaderFuzzTest {

    private static final Path DIR = temporaryFolder();
    private static final Path FILE = deletedOnExit(DIR.resolve("icgw.yaml"));
    private static final ConfigLoader.Overrides DATA = ConfigLoader.Overrides.none()
            .put("data_dir", DIR.resolve("data").toString(), "--data");

    @FuzzTest
    void load(byte[] yaml) throws IOException {
        Files.write(FILE, yaml);
        GatewayConfig config;
        try {
            config = ConfigLoader.load(Optional.of(FILE), DATA, Map.of());
        } catch (ConfigException e) {
            assertThat(e.key()).isNotEmpty();
            assertThat(e.problem()).isNotEmpty();
            return;
        }
        assertThat(config.sip().port()).isBetween(1, 65_535);
        assertThat(config.media().rtpPortMin()).isLessThanOrEqualTo(config.media().rtpPortMax());
        assertThat(config.trunks().list()).isNotEmpty();
        assertThat(ConfigLoader.warnings(config)).isNotNull();
    }

    private static Path temporaryFolder() {
        try {
            return deletedOnExit(Files.createTempDirectory("icgw-config-fuzz"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deleted at exit, the last registered first (the file before its folder). */
    private static Path deletedOnExit(Path path) {
        path.toFile().deleteOnExit();
        return path;
    }
}
