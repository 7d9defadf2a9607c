package org.icgw.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.admin.AdminConfig;
import org.icgw.gateway.admin.AdminScope;
import org.icgw.gateway.call.CallSettings;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipLimits;
import org.icgw.gateway.sip.b2bua.Trunk;
import org.icgw.gateway.sip.registrar.DigestAlgorithm;
import org.icgw.gateway.sip.registrar.RegistrarConfig;
import org.icgw.media.MediaEngineConfig;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.rate.RateCaps;
import org.icgw.policy.store.StoreConfig;

/**
 * Reads the gateway's one YAML configuration file into the {@link GatewayConfig} record tree,
 * key by key, and validates it. Keys are snake_case; every key is optional and its default is
 * the sample configuration ({@code deploy/icgw.yaml} documents each one), so no file at all runs
 * the demo. Any mistake (an unknown key, a wrong type, a port out of range, an unreadable file or
 * folder, an RTP range that is empty or starts on an odd port, a duration without a unit) is a
 * {@link ConfigException} whose message names the key, e.g. {@code sip.port: 70000 is out of
 * range 1-65535}.
 *
 * <p>Durations are {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601. Secrets are
 * written as {@code ${env:NAME}} or {@code ${file:PATH}} ({@link Secrets}); left out, they come
 * from the environment variables the gateway has always read ({@code ICGW_PIN_PEPPER},
 * {@code ICGW_DB_PASSWORD}, {@code ICGW_STAFF_TOKEN}, {@code ICGW_INVESTIGATOR_TOKEN}), else the
 * demo's, which {@link #warnings} reports.
 *
 * <p>Command-line options are {@link Overrides}: values put into the tree at a key before it is
 * read, so they pass the same checks and their errors name the option too.
 */
public final class ConfigLoader {

    /** The default data folder: embedded store and recordings. */
    public static final Path DEFAULT_DATA = Path.of("data");
    /** Used only when no pepper is configured, so that the demo runs; never for a real facility. */
    public static final String DEMO_PEPPER = "icgw-demo-pepper-not-for-production";
    /** The demo's staff token, used only when the configuration and the environment name none. */
    public static final String DEMO_STAFF_TOKEN = "icgw-demo-staff-token";
    /** The demo's investigator token, used only when the configuration and the environment name none. */
    public static final String DEMO_INVESTIGATOR_TOKEN = "icgw-demo-investigator-token";

    /** The environment variables read when the configuration does not name a secret. */
    public static final String ENV_PEPPER = "ICGW_PIN_PEPPER";
    public static final String ENV_DB_PASSWORD = "ICGW_DB_PASSWORD";
    public static final String ENV_STAFF_TOKEN = "ICGW_STAFF_TOKEN";
    public static final String ENV_INVESTIGATOR_TOKEN = "ICGW_INVESTIGATOR_TOKEN";

    /** One instance, so that two loads of the same file give equal configurations. */
    private static final RateCaps CAPS = RateCaps.standard();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Secrets secrets;

    private ConfigLoader(Map<String, String> env) {
        this.secrets = new Secrets(env);
    }

    /**
     * Values given on the command line, each put at its key of the tree (replacing what the file
     * says) and remembered with the option that gave it, which errors then name.
     */
    public static final class Overrides {
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, String> options = new LinkedHashMap<>();

        /** Sets {@code key} (a dotted path, e.g. {@code sip.port}) to {@code value}, given by {@code option}. */
        public Overrides put(String key, Object value, String option) {
            values.put(key, value);
            options.put(key, option);
            return this;
        }

        public static Overrides none() {
            return new Overrides();
        }
    }

    /** The built-in defaults: what no file and no option give, with secrets from {@code env}. */
    public static GatewayConfig defaults(Map<String, String> env) {
        return load(Optional.empty(), Overrides.none(), env);
    }

    /** Reads {@code file} (when given) with the overrides on top; secrets from {@code env}. */
    public static GatewayConfig load(Optional<Path> file, Overrides overrides, Map<String, String> env) {
        ObjectNode root = file.map(ConfigLoader::read).orElseGet(JsonNodeFactory.instance::objectNode);
        overrides.values.forEach((key, value) -> put(root, key, YAML.valueToTree(value)));
        return new ConfigLoader(env).map(new ConfigNode("", root, Map.copyOf(overrides.options)));
    }

    /** Reads YAML text (tests and tools); no overrides. */
    public static GatewayConfig parse(String yaml, Map<String, String> env) {
        return new ConfigLoader(env).map(new ConfigNode("", tree("(text)", yaml), Map.of()));
    }

    /** What an operator should know about this configuration: the demo secrets in use. */
    public static List<String> warnings(GatewayConfig config) {
        List<String> out = new ArrayList<>();
        if (config.pins().pepper().equals(DEMO_PEPPER)) {
            out.add("pins.pepper is not set (nor " + ENV_PEPPER + "): the demo pepper is in use; "
                    + "set a secret of your own for real use");
        }
        config.admin().ifPresent(admin -> {
            if (admin.tokens().containsKey(DEMO_STAFF_TOKEN) || admin.tokens().containsKey(DEMO_INVESTIGATOR_TOKEN)) {
                out.add("admin.tokens: a demo token is in use (" + ENV_STAFF_TOKEN + " / " + ENV_INVESTIGATOR_TOKEN
                        + " not set); set secrets of your own for real use");
            }
        });
        return out;
    }

    // ------------------------------------------------------------------ reading

    private static ObjectNode read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--config", "cannot read " + file + " (no such file)");
        } catch (AccessDeniedException e) {
            throw new ConfigException("--config", "cannot read " + file + " (permission denied)");
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + " (" + oneLine(e.getMessage()) + ")");
        }
        return tree(file.toString(), text);
    }

    private static ObjectNode tree(String name, String text) {
        JsonNode node;
        try {
            node = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            if (e.getProcessor() instanceof JsonParser parser && e.getOriginalMessage().startsWith("Duplicate field")) {
                JsonStreamContext at = parser.getParsingContext();
                if (at.getCurrentName() == null || at.getCurrentName().isEmpty()) {
                    // Named by its mapping: an empty key names nothing (found by ConfigLoaderFuzzTest).
                    String mapping = keyOf(at.getParent());
                    throw new ConfigException(mapping.isEmpty() ? "(top)" : mapping, "has a key with an empty name");
                }
                throw new ConfigException(keyOf(at), "appears twice (line "
                        + e.getLocation().getLineNr() + ")");
            }
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ConfigException(name, "not valid YAML" + where + ": " + oneLine(e.getOriginalMessage()));
        }
        if (node == null || node.isMissingNode() || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new ConfigException(name, "expected a mapping of keys at the top, got " + node.getNodeType()
                    .name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) node;
    }

    /** The dotted key of where a parser stands: {@code sip.port}, {@code trunks.list[1].host}. */
    private static String keyOf(JsonStreamContext context) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : String.valueOf(c.getCurrentName()));
        }
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            key.append(key.isEmpty() || part.startsWith("[") ? "" : ".").append(part);
        }
        return key.toString();
    }

    private static void put(ObjectNode root, String key, JsonNode value) {
        String[] parts = key.split("\\.");
        ObjectNode at = root;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.get(parts[i]) instanceof ObjectNode o ? o : at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }

    // ------------------------------------------------------------------ mapping

    private GatewayConfig map(ConfigNode root) {
        Path data = Path.of(root.text("data_dir", DEFAULT_DATA.toString()));
        writableFolder(root, "data_dir", data);

        ConfigNode sipNode = root.section("sip");
        String sipAddress = sipNode.text("bind_address", GatewayConfig.LOOPBACK);
        InetAddress sipInet = address(sipNode, "bind_address", sipAddress);
        int sipPort = sipNode.port("port", SipEndpointConfig.DEFAULT_PORT);
        int maxMessage = sipNode.integer("max_message_size", SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE, 1024,
                SipEndpointConfig.STACK_MESSAGE_LIMIT);
        double rate = sipNode.number("rate_per_second", 50, 0.001, 1_000_000);
        int burst = sipNode.integer("rate_burst", 100, 1, 1_000_000);
        String server = sipNode.text("server_header", SipEndpointConfig.DEFAULT_SERVER_HEADER);
        SipLimits limits = limits(sipNode.section("limits"));
        RegistrarConfig registrar = registrar(sipNode.section("registrar"));
        sipNode.finish();
        SipEndpointConfig sip = build(sipNode, () -> new SipEndpointConfig(sipAddress, sipPort, maxMessage, rate,
                burst, limits, server));

        ConfigNode mediaNode = root.section("media");
        boolean ownMediaAddress = mediaNode.has("address");
        InetAddress mediaAddress = ownMediaAddress
                ? address(mediaNode, "address", mediaNode.text("address", "")) : sipInet;
        if (mediaAddress.isAnyLocalAddress()) {
            throw mediaNode.errorAt("address", mediaAddress.getHostAddress() + (ownMediaAddress ? "" : " (from "
                    + "sip.bind_address)") + " cannot be named in SDP: set the address the phones and trunks reach");
        }
        int rtpMin = mediaNode.integer("rtp_port_min", 20_000, 1024, 65_534);
        int rtpMax = mediaNode.integer("rtp_port_max", 29_999, 1025, 65_535);
        if (rtpMin % 2 != 0) {
            throw mediaNode.errorAt("rtp_port_min", rtpMin + " is odd: RTP uses even ports, RTCP the odd port "
                    + "above (RFC 3550 section 11)");
        }
        if (rtpMax % 2 == 0) {
            throw mediaNode.errorAt("rtp_port_max", rtpMax + " is even: the range must end on the RTCP port (odd) "
                    + "of its last RTP port");
        }
        if (rtpMin > rtpMax) {
            throw mediaNode.errorAt("rtp_port_min", rtpMin + " is above media.rtp_port_max " + rtpMax);
        }
        int ioThreads = mediaNode.integer("io_threads", 0, 0, 1024);
        boolean nativeTransport = mediaNode.bool("native_transport", true);
        mediaNode.finish();
        MediaEngineConfig media = build(mediaNode, () -> new MediaEngineConfig(ioThreads, rtpMin, rtpMax,
                nativeTransport));

        CallSettings calls = calls(root.section("calls"), mediaAddress, data);
        GatewayConfig.Trunks trunks = trunks(root.section("trunks"));
        StoreConfig store = store(root.section("store"), data);
        GatewayConfig.Pins pins = pins(root.section("pins"));

        Optional<Path> seed = root.string("seed").map(Path::of);
        if (seed.isPresent()) {
            readableFile(root, "seed", seed.get());
        }
        Duration drain = root.duration("drain", Duration.ofSeconds(30), Duration.ZERO);
        Optional<AdminConfig> admin = admin(root.section("admin"), sipAddress);
        GatewayConfig.Logging logging = logging(root.section("logging"));
        root.finish();
        return new GatewayConfig(sip, registrar, media, calls, trunks, store, pins, seed, drain, admin, logging);
    }

    private static SipLimits limits(ConfigNode n) {
        SipLimits d = SipLimits.DEFAULTS;
        Duration second = Duration.ofSeconds(1);
        double globalRate = n.number("global_rate_per_second", d.globalRatePerSecond(), 1, 10_000_000);
        int globalBurst = n.integer("global_burst", d.globalBurst(), 1, 10_000_000);
        int parseCost = n.integer("parse_error_cost", d.parseErrorCost(), 1, 1_000);
        int toBan = n.integer("auth_failures_to_ban", d.authFailuresToBan(), 1, 1_000_000);
        Duration window = n.duration("auth_failure_window", d.authFailureWindow(), second);
        Duration ban = n.duration("ban_time", d.banTime(), second);
        int connections = n.integer("max_connections", d.maxConnections(), 1, 1_000_000);
        int perSource = n.integer("max_connections_per_source", d.maxConnectionsPerSource(), 1, 1_000_000);
        Duration idle = n.duration("idle_timeout", d.idleTimeout(), second);
        Duration header = n.duration("header_timeout", d.headerTimeout(), Duration.ofMillis(100));
        int logLines = n.integer("log_lines_per_second", d.logLinesPerSecond(), 1, 10_000);
        n.finish();
        return build(n, () -> new SipLimits(globalRate, globalBurst, parseCost, toBan, window, ban, connections,
                perSource, idle, header, logLines));
    }

    private RegistrarConfig registrar(ConfigNode n) {
        RegistrarConfig d = RegistrarConfig.defaults("icgw");
        String realm = n.text("realm", d.realm());
        Duration nonce = n.duration("nonce_lifetime", d.nonceLifetime(), Duration.ofSeconds(1));
        int minExpires = n.integer("min_expires", d.minExpires(), 1, 86_400 * 7);
        int maxExpires = n.integer("max_expires", d.maxExpires(), 1, 86_400 * 7);
        int defaultExpires = n.integer("default_expires", d.defaultExpires(), 1, 86_400 * 7);
        int maxContacts = n.integer("max_contacts", d.maxContacts(), 1, RegistrarConfig.MAX_CONTACTS_LIMIT);
        List<DigestAlgorithm> algorithms = new ArrayList<>();
        Optional<List<String>> names = n.strings("digest_algorithms");
        if (names.isPresent()) {
            for (String name : names.get()) {
                algorithms.add(DigestAlgorithm.fromToken(name).orElseThrow(
                        () -> n.errorAt("digest_algorithms", "'" + name + "' is not SHA-256 or MD5")));
            }
        } else {
            algorithms.addAll(d.digestAlgorithms());
        }
        n.finish();
        return build(n, () -> new RegistrarConfig(realm, nonce, minExpires, maxExpires, defaultExpires, algorithms,
                maxContacts));
    }

    private CallSettings calls(ConfigNode n, InetAddress mediaAddress, Path data) {
        CallSettings d = CallSettings.defaults(mediaAddress, data.resolve("recordings"));
        Path recordings = n.string("recordings").map(Path::of).orElse(d.recordings());
        writableFolder(n, "recordings", recordings);
        Duration second = Duration.ofSeconds(1);
        Duration digit = n.duration("digit_timeout", d.digitTimeout(), Duration.ofMillis(100));
        int pinAttempts = n.integer("pin_attempts", d.pinAttempts(), 1, 10);
        Duration noAnswer = n.duration("no_answer", d.noAnswer(), second);
        int menuRounds = n.integer("menu_rounds", d.menuRounds(), 1, 10);
        Duration menuWait = n.duration("menu_digit_wait", d.menuDigitWait(), Duration.ofMillis(100));
        Duration mediaTimeout = n.duration("media_timeout", d.mediaTimeout(), second);
        Duration warning = n.duration("warning_before", d.warningBefore(), Duration.ZERO);
        float gain = (float) n.number("announcement_gain", d.announcementGain(), 0, 1);
        n.finish();
        return build(n, () -> new CallSettings(mediaAddress, recordings, digit, pinAttempts, noAnswer, menuRounds,
                menuWait, mediaTimeout, warning, gain));
    }

    private GatewayConfig.Trunks trunks(ConfigNode n) {
        Duration timeout = n.duration("response_timeout", Duration.ofSeconds(5), Duration.ofMillis(100));
        List<Trunk> list = new ArrayList<>();
        Optional<List<ConfigNode>> entries = n.list("list");
        if (entries.isPresent()) {
            for (ConfigNode t : entries.get()) {
                String host = t.required("host");
                t.require("port");
                int port = t.port("port", 0);
                String transport = t.choice("transport", Transport.UDP, Transport.class, Transport::wireName).name();
                t.finish();
                list.add(build(t, () -> new Trunk(host, port, transport)));
            }
            if (list.isEmpty()) {
                throw n.errorAt("list", "at least one trunk is needed");
            }
        } else {
            list.add(new Trunk(GatewayConfig.LOOPBACK, GatewayConfig.SAMPLE_TRUNK_PORT, "UDP"));
        }
        n.finish();
        return build(n, () -> new GatewayConfig.Trunks(list, timeout));
    }

    /** A trunk's transport. */
    private enum Transport {
        UDP, TCP;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private StoreConfig store(ConfigNode n, Path data) {
        String url = n.text("jdbc_url", StoreConfig.embeddedUrl(data));
        Optional<String> user = n.string("user").filter(u -> !u.isBlank());
        Optional<String> password = n.secret("password").map(p -> secrets.resolve(n.key("password"), p))
                .or(() -> secrets.env(ENV_DB_PASSWORD));
        int pool = n.integer("pool_size", StoreConfig.DEFAULT_POOL_SIZE, 1, 1000);
        String node = n.text("node_id", "gw1");
        Duration maxWriteWait = n.duration("max_write_wait", StoreConfig.DEFAULT_MAX_WRITE_WAIT, Duration.ofSeconds(1));
        n.finish();
        return build(n, () -> new StoreConfig(url, user, password, pool, node, CAPS, maxWriteWait));
    }

    private GatewayConfig.Pins pins(ConfigNode n) {
        String pepper = n.secret("pepper").map(p -> secrets.resolve(n.key("pepper"), p))
                .or(() -> secrets.env(ENV_PEPPER)).orElse(DEMO_PEPPER);
        if (pepper.getBytes(StandardCharsets.UTF_8).length < 16) {
            throw n.errorAt("pepper", "must be at least 16 bytes (the value is not shown: it is a secret)");
        }
        ConfigNode c = n.section("cost");
        PinHasher.Cost d = PinHasher.Cost.DEFAULT;
        int memory = c.integer("memory_kib", d.memoryKiB(), 8, 4 * 1024 * 1024);
        int passes = c.integer("passes", d.passes(), 1, 100);
        int lanes = c.integer("lanes", d.lanes(), 1, 64);
        if (memory < 8 * lanes) {
            throw c.errorAt("memory_kib", memory + " is below 8 KiB per lane (RFC 9106 section 3.1)");
        }
        c.finish();
        n.finish();
        return build(n, () -> new GatewayConfig.Pins(pepper, new PinHasher.Cost(memory, passes, lanes)));
    }

    private Optional<AdminConfig> admin(ConfigNode n, String sipAddress) {
        boolean enabled = n.bool("enabled", true);
        String bind = n.text("bind_address", sipAddress);
        InetAddress address = address(n, "bind_address", bind);
        int port = n.integer("port", AdminConfig.DEFAULT_PORT, 0, 65_535);
        int maxBody = n.integer("max_body_bytes", AdminConfig.DEFAULT_MAX_BODY_BYTES, 1024, 64 << 20);
        int maxHeader = n.integer("max_header_bytes", AdminConfig.DEFAULT_MAX_HEADER_BYTES, 1024, 1 << 20);
        Duration readTimeout = n.duration("read_timeout", AdminConfig.DEFAULT_READ_TIMEOUT, Duration.ofMillis(100));
        int authFailures = n.integer("auth_failures_per_minute", AdminConfig.DEFAULT_AUTH_FAILURES_PER_MINUTE, 1,
                1_000_000);
        Map<String, AdminScope> tokens = new LinkedHashMap<>();
        Optional<List<ConfigNode>> entries = n.list("tokens");
        if (entries.isPresent()) {
            for (ConfigNode t : entries.get()) {
                t.require("scope");
                AdminScope scope = t.choice("scope", AdminScope.STAFF, AdminScope.class, AdminScope::wireName);
                t.require("token");
                String token = secrets.resolve(t.key("token"), t.secret("token").orElseThrow());
                if (token.length() < AdminConfig.MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9._~+/=-]+")) {
                    throw t.errorAt("token", "must be at least " + AdminConfig.MIN_TOKEN_LENGTH + " characters of "
                            + "A-Z a-z 0-9 - . _ ~ + / = (RFC 6750 section 2.1; the value is not shown)");
                }
                if (tokens.put(token, scope) != null) {
                    throw t.errorAt("token", "the same token is listed twice");
                }
                t.finish();
            }
        } else {
            tokens.put(secrets.env(ENV_STAFF_TOKEN).orElse(DEMO_STAFF_TOKEN), AdminScope.STAFF);
            tokens.put(secrets.env(ENV_INVESTIGATOR_TOKEN).orElse(DEMO_INVESTIGATOR_TOKEN), AdminScope.INVESTIGATOR);
        }
        n.finish();
        if (!enabled) {
            return Optional.empty();
        }
        return Optional.of(build(n, () -> new AdminConfig(address, port, tokens, maxBody, maxHeader, readTimeout,
                authFailures)));
    }

    private static GatewayConfig.Logging logging(ConfigNode n) {
        GatewayConfig.Logging.Format format = n.choice("format", GatewayConfig.Logging.DEFAULT.format(),
                GatewayConfig.Logging.Format.class, GatewayConfig.Logging.Format::wireName);
        GatewayConfig.Logging.Level level = n.choice("level", GatewayConfig.Logging.DEFAULT.level(),
                GatewayConfig.Logging.Level.class, Enum::name);
        n.finish();
        return new GatewayConfig.Logging(format, level);
    }

    // ------------------------------------------------------------------ checks

    /** Builds a record, turning its own validation ({@code "key: problem"}) into an error under {@code n}'s path. */
    private static <T> T build(ConfigNode n, Supplier<T> record) {
        try {
            return record.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            if (colon > 0 && m.substring(0, colon).matches("[a-z_.\\[\\]0-9]+")) {
                String key = m.substring(0, colon);
                String local = key.contains(".") ? key.substring(key.lastIndexOf('.') + 1) : key;
                throw n.errorAt(local.replace("[]", ""), m.substring(colon + 2));
            }
            throw n.error(n.path().isEmpty() ? "(top)" : n.path(), m);
        }
    }

    private static InetAddress address(ConfigNode n, String key, String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw n.errorAt(key, "'" + text + "' is not an address or a known host name");
        }
    }

    private static void readableFile(ConfigNode n, String key, Path file) {
        if (!Files.exists(file)) {
            throw n.errorAt(key, "cannot read " + file + " (no such file)");
        }
        if (!Files.isRegularFile(file)) {
            throw n.errorAt(key, "cannot read " + file + " (not a file)");
        }
        if (!Files.isReadable(file)) {
            throw n.errorAt(key, "cannot read " + file + " (permission denied)");
        }
    }

    /** A folder the gateway writes to: it exists and is writable, or it can be made. */
    private static void writableFolder(ConfigNode n, String key, Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw n.errorAt(key, folder + " is not a folder");
            }
            if (!Files.isWritable(abs)) {
                throw n.errorAt(key, "cannot write to " + folder + " (permission denied)");
            }
            return;
        }
        Path parent = abs.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
            throw n.errorAt(key, "cannot create " + folder + " (" + parent + " is not a writable folder)");
        }
    }
}
