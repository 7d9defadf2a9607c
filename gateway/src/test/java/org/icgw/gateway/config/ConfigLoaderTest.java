package org.icgw.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.admin.AdminScope;
import org.icgw.gateway.call.CallSettings;
import org.icgw.gateway.sip.b2bua.Trunk;
import org.icgw.gateway.sip.registrar.DigestAlgorithm;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The configuration loader: the sample file is the built-in defaults, a full file maps onto the
 * record tree, and each kind of mistake gives the exact one-line message naming the key.
 */
class ConfigLoaderTest {

    static final Map<String, String> NO_ENV = Map.of();
    static final Path SAMPLE = Path.of("../deploy/icgw.yaml");

    @TempDir
    Path dir;

    static String error(String yaml) {
        return error(yaml, NO_ENV);
    }

    static String error(String yaml, Map<String, String> env) {
        try {
            ConfigLoader.parse(yaml, env);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    // ------------------------------------------------------------------ the sample and the defaults

    @Test
    void theSampleFileIsTheBuiltInDefaults() {
        assertThat(ConfigLoader.load(Optional.of(SAMPLE), ConfigLoader.Overrides.none(), NO_ENV))
                .isEqualTo(ConfigLoader.defaults(NO_ENV));
        Map<String, String> env = Map.of("ICGW_PIN_PEPPER", "a-pepper-of-the-operator", "ICGW_DB_PASSWORD", "db-secret",
                "ICGW_STAFF_TOKEN", "staff-token-0123456789", "ICGW_INVESTIGATOR_TOKEN", "inv-token-0123456789");
        assertThat(ConfigLoader.load(Optional.of(SAMPLE), ConfigLoader.Overrides.none(), env))
                .isEqualTo(ConfigLoader.defaults(env));
    }

    @Test
    void theDefaultsAreTheContractsSampleConfiguration() throws Exception {
        GatewayConfig c = ConfigLoader.defaults(NO_ENV);
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        assertThat(c.sip().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.sip().port()).isEqualTo(5060);
        assertThat(c.registrar().digestAlgorithms()).containsExactly(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5);
        assertThat(c.media().rtpPortMin()).isEqualTo(20_000);
        assertThat(c.media().rtpPortMax()).isEqualTo(29_999);
        assertThat(c.calls().mediaAddress()).isEqualTo(loopback);
        assertThat(c.calls().recordings()).isEqualTo(Path.of("data", "recordings"));
        assertThat(c.calls().digitTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.calls().noAnswer()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.calls().mediaTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.calls().warningBefore()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.trunks().list()).containsExactly(new Trunk("127.0.0.1", 5080, "UDP"));
        assertThat(c.store().jdbcUrl()).isEqualTo(StoreConfig.embeddedUrl(Path.of("data")));
        assertThat(c.store().password()).isEmpty();
        assertThat(c.store().maxWriteWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.pins().pepper()).isEqualTo(ConfigLoader.DEMO_PEPPER);
        assertThat(c.pins().cost()).isEqualTo(PinHasher.Cost.DEFAULT);
        assertThat(c.seed()).isEmpty();
        assertThat(c.drain()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.admin().orElseThrow().bindAddress()).isEqualTo(loopback);
        assertThat(c.admin().orElseThrow().port()).isEqualTo(8080);
        assertThat(c.admin().orElseThrow().tokens()).isEqualTo(Map.of(ConfigLoader.DEMO_STAFF_TOKEN, AdminScope.STAFF,
                ConfigLoader.DEMO_INVESTIGATOR_TOKEN, AdminScope.INVESTIGATOR));
        assertThat(c.logging()).isEqualTo(GatewayConfig.Logging.DEFAULT);
        assertThat(ConfigLoader.warnings(c)).hasSize(2);
        // Everything that GatewayConfig.defaults builds, but for the store's rate-cap table instance.
        GatewayConfig code = GatewayConfig.defaults(Path.of("data"), ConfigLoader.DEMO_PEPPER);
        assertThat(c.withStore(code.store()).withAdmin(Optional.empty())).isEqualTo(code);
    }

    @Test
    void secretsLeftOutComeFromTheEnvironmentVariablesOfOld() {
        GatewayConfig c = ConfigLoader.defaults(Map.of("ICGW_PIN_PEPPER", "a-pepper-of-the-operator",
                "ICGW_DB_PASSWORD", "db-secret", "ICGW_STAFF_TOKEN", "staff-token-0123456789"));

        assertThat(c.pins().pepper()).isEqualTo("a-pepper-of-the-operator");
        assertThat(c.store().password()).contains("db-secret");
        assertThat(c.admin().orElseThrow().tokens()).isEqualTo(Map.of("staff-token-0123456789", AdminScope.STAFF,
                ConfigLoader.DEMO_INVESTIGATOR_TOKEN, AdminScope.INVESTIGATOR));
        assertThat(ConfigLoader.warnings(c)).containsExactly("admin.tokens: a demo token is in use "
                + "(ICGW_STAFF_TOKEN / ICGW_INVESTIGATOR_TOKEN not set); set secrets of your own for real use");
    }

    @Test
    void aFullFileMapsOntoTheRecordTree() throws Exception {
        Path pepper = dir.resolve("pepper");
        Files.writeString(pepper, "pepper-from-a-file-0123\n");
        Path seed = Files.writeString(dir.resolve("seed.yaml"), "facilities: []\n");
        String yaml = """
                data_dir: %1$s/data
                sip: {bind_address: 127.0.0.1, port: 5070, max_message_size: 4096, rate_per_second: 10.5, rate_burst: 20,
                      registrar: {realm: jail.example, nonce_lifetime: PT2M, min_expires: 30, max_expires: 600,
                                  default_expires: 300, digest_algorithms: [MD5]}}
                media: {address: 127.0.0.2, rtp_port_min: 40000, rtp_port_max: 40999, io_threads: 2, native_transport: false}
                calls: {recordings: %1$s/rec, digit_timeout: 500ms, pin_attempts: 2, no_answer: 1m, menu_rounds: 2,
                        menu_digit_wait: 4s, media_timeout: 20s, warning_before: 2m, announcement_gain: 0.25}
                trunks:
                  response_timeout: 2s
                  list:
                    - {host: 10.0.0.1, port: 5060, transport: tcp}
                    - {host: 10.0.0.2, port: 5062}
                store: {jdbc_url: "jdbc:postgresql://127.0.0.1:5432/icgw", user: icgw, password: "${env:DB_PASS}",
                        pool_size: 4, node_id: gw2, max_write_wait: 45s}
                pins: {pepper: "${file:%1$s/pepper}", cost: {memory_kib: 64, passes: 1, lanes: 1}}
                seed: %2$s
                drain: 0s
                admin:
                  bind_address: 127.0.0.3
                  port: 0
                  max_body_bytes: 2048
                  tokens:
                    - {scope: investigator, token: "${env:INV}"}
                logging: {format: json, level: DEBUG}
                """.formatted(dir, seed);

        GatewayConfig c = ConfigLoader.parse(yaml, Map.of("DB_PASS", "pg-pass", "INV", "investigator-token-1"));

        assertThat(c.sip().port()).isEqualTo(5070);
        assertThat(c.sip().maxMessageSize()).isEqualTo(4096);
        assertThat(c.sip().ratePerSecond()).isEqualTo(10.5);
        assertThat(c.sip().rateBurst()).isEqualTo(20);
        assertThat(c.registrar().realm()).isEqualTo("jail.example");
        assertThat(c.registrar().nonceLifetime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.registrar().digestAlgorithms()).containsExactly(DigestAlgorithm.MD5);
        assertThat(c.registrar().defaultExpires()).isEqualTo(300);
        assertThat(c.media().rtpPortMin()).isEqualTo(40_000);
        assertThat(c.media().ioThreads()).isEqualTo(2);
        assertThat(c.media().preferNativeTransport()).isFalse();
        assertThat(c.calls().mediaAddress()).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(c.calls().recordings()).isEqualTo(dir.resolve("rec"));
        assertThat(c.calls().digitTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.calls().noAnswer()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.calls().warningBefore()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.calls().announcementGain()).isEqualTo(0.25f);
        assertThat(c.trunks().list()).containsExactly(new Trunk("10.0.0.1", 5060, "TCP"),
                new Trunk("10.0.0.2", 5062, "UDP"));
        assertThat(c.trunks().responseTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.store().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/icgw");
        assertThat(c.store().user()).contains("icgw");
        assertThat(c.store().password()).contains("pg-pass");
        assertThat(c.store().nodeId()).isEqualTo("gw2");
        assertThat(c.store().maxWriteWait()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.pins().pepper()).isEqualTo("pepper-from-a-file-0123");
        assertThat(c.pins().cost()).isEqualTo(PinHasher.Cost.FAST);
        assertThat(c.seed()).contains(seed);
        assertThat(c.drain()).isZero();
        assertThat(c.admin().orElseThrow().bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.3"));
        assertThat(c.admin().orElseThrow().tokens()).isEqualTo(Map.of("investigator-token-1", AdminScope.INVESTIGATOR));
        assertThat(c.logging()).isEqualTo(new GatewayConfig.Logging(GatewayConfig.Logging.Format.JSON,
                GatewayConfig.Logging.Level.DEBUG));
        assertThat(ConfigLoader.warnings(c)).isEmpty();

        String text = c.toString();
        assertThat(text).doesNotContain("pg-pass").doesNotContain("pepper-from-a-file")
                .doesNotContain("investigator-token-1").contains("password=***").contains("pepper=***");
    }

    @Test
    void adminCanBeTurnedOff() {
        assertThat(ConfigLoader.parse("admin: {enabled: false}", NO_ENV).admin()).isEmpty();
    }

    @Test
    void emptyFileIsTheDefaults() {
        assertThat(ConfigLoader.parse("", NO_ENV)).isEqualTo(ConfigLoader.defaults(NO_ENV));
        assertThat(ConfigLoader.parse("# nothing but a comment\n", NO_ENV)).isEqualTo(ConfigLoader.defaults(NO_ENV));
    }

    // ------------------------------------------------------------------ mistakes, one message each

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # unknown keys, with their path
            "sip: {prot: 5070}"                     | sip.prot: unknown key (expected one of: bind_address, port, max_message_size, rate_per_second, rate_burst, server_header, limits, registrar)
            "colour: blue"                          | colour: unknown key (expected one of: data_dir, sip, media, calls, trunks, store, pins, seed, drain, admin, logging)
            "trunks: {list: [{host: a, port: 1, tls: true}]}" | trunks.list[0].tls: unknown key (expected one of: host, port, transport)
            "'': 1"                                 | (top): has a key with an empty name
            "sip: {'': 5070}"                       | sip: has a key with an empty name
            "{'': 1, '': 2}"                        | (top): has a key with an empty name
            "sip: {'': 1, '': 2}"                   | sip: has a key with an empty name
            # wrong types
            "sip: {port: abc}"                      | sip.port: expected a whole number, got 'abc'
            "sip: {port: 50.5}"                     | sip.port: expected a whole number, got 50.5
            "sip: 5060"                             | sip: expected a mapping of keys, got 5060
            "media: {native_transport: maybe}"      | media.native_transport: expected true or false, got 'maybe'
            "trunks: {list: {host: a}}"             | trunks.list: expected a list, got a mapping
            "sip: {bind_address: [a, b]}"           | sip.bind_address: expected a string, got a list
            "pins: {pepper: 1234567890123456789}"   | pins.pepper: expected a string (the value is not shown: it is a secret)
            # out of range
            "sip: {port: 70000}"                    | sip.port: 70000 is out of range 1-65535
            "sip: {port: 0}"                        | sip.port: 0 is out of range 1-65535
            "admin: {port: -1}"                     | admin.port: -1 is out of range 0-65535
            "trunks: {list: [{host: a, port: 65536}]}" | trunks.list[0].port: 65536 is out of range 1-65535
            "calls: {announcement_gain: 1.5}"       | calls.announcement_gain: 1.5 is out of range 0-1
            # RTP range
            "media: {rtp_port_min: 30000, rtp_port_max: 20001}" | media.rtp_port_min: 30000 is above media.rtp_port_max 20001
            "media: {rtp_port_min: 20001}"          | media.rtp_port_min: 20001 is odd: RTP uses even ports, RTCP the odd port above (RFC 3550 section 11)
            "media: {rtp_port_max: 30000}"          | media.rtp_port_max: 30000 is even: the range must end on the RTCP port (odd) of its last RTP port
            # durations
            "calls: {no_answer: 45 sec}"            | calls.no_answer: '45 sec' is not a duration (use 500ms, 5s, 2m, 1h or ISO-8601 such as PT45S)
            "calls: {no_answer: 45}"                | calls.no_answer: 45 has no unit (use 500ms, 5s, 2m, 1h or ISO-8601 such as PT45S)
            "drain: PT-5S"                          | drain: 'PT-5S' is shorter than 0s
            "calls: {media_timeout: 0s}"            | calls.media_timeout: '0s' is shorter than 1s
            "store: {max_write_wait: 999ms}"        | store.max_write_wait: '999ms' is shorter than 1s
            # missing required values
            "trunks: {list: [{host: a}]}"           | trunks.list[0].port: missing (required)
            "trunks: {list: [{port: 5080}]}"        | trunks.list[0].host: missing (required)
            "trunks: {list: []}"                    | trunks.list: at least one trunk is needed
            "admin: {tokens: [{scope: staff}]}"     | admin.tokens[0].token: missing (required)
            # choices and values the records check
            "trunks: {list: [{host: a, port: 1, transport: sctp}]}" | trunks.list[0].transport: 'sctp' is not one of udp, tcp
            "logging: {format: xml}"                | logging.format: 'xml' is not one of text, json
            "sip: {registrar: {digest_algorithms: [SHA-512]}}" | sip.registrar.digest_algorithms: 'SHA-512' is not SHA-256 or MD5
            "sip: {registrar: {min_expires: 100, max_expires: 50}}" | sip.registrar.max_expires: must be at least min_expires (100), got 50
            "store: {jdbc_url: 'jdbc:mysql://db/icgw'}" | store.jdbc_url: expected jdbc:h2:... or jdbc:postgresql:..., got jdbc:mysql://db/icgw
            "store: {node_id: 'two words'}"         | store.node_id: 1 to 64 letters, digits, '.', '_' or '-', got 'two words'
            "sip: {bind_address: 0.0.0.0}"          | media.address: 0.0.0.0 (from sip.bind_address) cannot be named in SDP: set the address the phones and trunks reach
            "pins: {pepper: short}"                 | pins.pepper: must be at least 16 bytes (the value is not shown: it is a secret)
            "admin: {tokens: [{scope: staff, token: short}]}" | admin.tokens[0].token: must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / = (RFC 6750 section 2.1; the value is not shown)
            # secrets
            "pins: {pepper: '${env:NO_SUCH_VARIABLE}'}" | pins.pepper: environment variable NO_SUCH_VARIABLE is not set
            "store: {password: '${vault:db}'}"      | store.password: '${vault:db}' is not ${env:NAME} or ${file:PATH}
            "pins: {pepper: '${file:/no/such/pepper}'}" | pins.pepper: cannot read secret file /no/such/pepper (no such file)
            # files and folders
            "seed: /no/such/seed.yaml"              | seed: cannot read /no/such/seed.yaml (no such file)
            """)
    void eachMistakeIsOneLineNamingTheKey(String yaml, String message) {
        assertThat(error(yaml)).isEqualTo(message);
    }

    @Test
    void aRecordingsFolderWhosePathsFitTheCdrIsTakenAndOneCharacterMoreIsNot() throws Exception {
        int free = CallSettings.MAX_RECORDINGS_PATH - dir.toString().length() - 2;
        Path atBound = dir.resolve("a".repeat(free / 2)).resolve("b".repeat(free - free / 2));
        assertThat(atBound.toString()).hasSize(CallSettings.MAX_RECORDINGS_PATH);
        assertThat(ConfigLoader.parse("calls: {recordings: " + atBound + "}", NO_ENV).calls().recordings())
                .isEqualTo(atBound);

        Path past = dir.resolve("a".repeat(free / 2)).resolve("b".repeat(free - free / 2 + 1));
        assertThat(error("calls: {recordings: " + past + "}")).isEqualTo("calls.recordings: a path of "
                + (CallSettings.MAX_RECORDINGS_PATH + 1) + " characters is longer than " + CallSettings.MAX_RECORDINGS_PATH
                + ", and a recording's path must fit its CDR (recording_file, 500 characters)");
    }

    @Test
    void aFileWhereAFolderIsNeeded() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");

        assertThat(error("data_dir: " + file)).isEqualTo("data_dir: " + file + " is not a folder");
        assertThat(error("calls: {recordings: " + file + "}")).isEqualTo("calls.recordings: " + file + " is not a folder");
        assertThat(error("data_dir: " + file + "/data")).isEqualTo("data_dir: cannot create " + file + "/data ("
                + file + " is not a writable folder)");
    }

    @Test
    void duplicateKeyAndBrokenYaml() {
        assertThat(error("sip:\n  port: 1\n  port: 2\n")).isEqualTo("sip.port: appears twice (line 3)");
        assertThat(error("trunks:\n  list:\n    - {host: a, port: 1}\n    - {host: b, host: c}\n"))
                .isEqualTo("trunks.list[1].host: appears twice (line 4)");
        assertThat(error("drain: 1s\ndrain: 2s\n")).isEqualTo("drain: appears twice (line 2)");
        assertThat(error("sip: {port: [1, 2}\n")).startsWith("(text): not valid YAML at line 1, column ");
        assertThat(error("- a list\n")).isEqualTo("(text): expected a mapping of keys at the top, got array");
    }

    @Test
    void missingConfigFileNamesTheOption() {
        Path missing = dir.resolve("nope.yaml");

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(missing), ConfigLoader.Overrides.none(), NO_ENV))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--config: cannot read " + missing + " (no such file)");
    }

    @Test
    void overridesGoThroughTheSameChecksAndNameTheOption() throws Exception {
        Path file = Files.writeString(dir.resolve("c.yaml"), "sip: {port: 5070}\ndrain: 10s\n");
        ConfigLoader.Overrides o = new ConfigLoader.Overrides().put("sip.port", 5090L, "--sip-port")
                .put("trunks.list", List.of(Map.of("host", "10.1.1.1", "port", 5099L)), "--trunk");

        GatewayConfig c = ConfigLoader.load(Optional.of(file), o, NO_ENV);

        assertThat(c.sip().port()).isEqualTo(5090);
        assertThat(c.drain()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.trunks().list()).containsExactly(new Trunk("10.1.1.1", 5099, "UDP"));
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file),
                new ConfigLoader.Overrides().put("sip.port", 70000L, "--sip-port"), NO_ENV))
                .hasMessage("--sip-port (sip.port): 70000 is out of range 1-65535");
    }

    @Test
    void durationsInBothForms() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("5s")).contains(Duration.ofSeconds(5));
        assertThat(Durations.parse("2m")).contains(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).contains(Duration.ofHours(1));
        assertThat(Durations.parse("PT1M30S")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("5")).isEmpty();
        assertThat(Durations.parse("5 minutes")).isEmpty();
        assertThat(Durations.parse("P")).isEmpty();
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofMinutes(2))).isEqualTo("2m");
    }
}
