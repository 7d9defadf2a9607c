package org.icgw.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.icgw.gateway.admin.AdminConfig;
import org.icgw.gateway.call.CallSettings;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.b2bua.Trunk;
import org.icgw.gateway.sip.registrar.RegistrarConfig;
import org.icgw.media.MediaEngineConfig;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.StoreConfig;

/**
 * Everything the gateway is built from, as one tree of records (style.md point 12), so that a
 * YAML file can be mapped onto it key by key. Each section validates itself and names its key.
 *
 * <pre>
 *   sip        bind address, port, message size, rate limit   (SipEndpointConfig)
 *   registrar  realm, nonce lifetime, expiries, digest algorithms (RegistrarConfig)
 *   media      RTP port range, event loops                    (MediaEngineConfig)
 *   calls      media address, recordings folder, timeouts     (CallSettings)
 *   trunks     ordered trunk list and the response timeout    (Trunks)
 *   store      JDBC URL, credentials, pool, node id           (StoreConfig)
 *   pins       pepper and Argon2id cost                       (Pins)
 *   seed       provisioning file loaded into an empty store
 *   drain      how long calls in progress may run on at shutdown
 *   admin      the admin API, /metrics and health over HTTP, when present (AdminConfig)
 *   logging    text or JSON lines, root level                 (Logging)
 * </pre>
 *
 * {@link org.icgw.gateway.config.ConfigLoader} reads it from YAML; {@code deploy/icgw.yaml}
 * documents every key. {@code toString} of every part masks the secrets (the PIN pepper, the
 * database password, the admin tokens), so a configuration can be logged.
 */
public record GatewayConfig(SipEndpointConfig sip, RegistrarConfig registrar, MediaEngineConfig media,
                            CallSettings calls, Trunks trunks, StoreConfig store, Pins pins, Optional<Path> seed,
                            Duration drain, Optional<AdminConfig> admin, Logging logging) {

    /** The sample's SIP, media and trunk addresses: loopback. */
    public static final String LOOPBACK = "127.0.0.1";
    /** The sample trunk's port. */
    public static final int SAMPLE_TRUNK_PORT = 5080;

    public GatewayConfig {
        Objects.requireNonNull(sip, "sip");
        Objects.requireNonNull(registrar, "registrar");
        Objects.requireNonNull(media, "media");
        Objects.requireNonNull(calls, "calls");
        Objects.requireNonNull(trunks, "trunks");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(pins, "pins");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(logging, "logging");
        if (drain.isNegative()) {
            throw new IllegalArgumentException("drain: must not be negative, got " + drain);
        }
    }

    /** A configuration without the HTTP side. */
    public GatewayConfig(SipEndpointConfig sip, RegistrarConfig registrar, MediaEngineConfig media,
                         CallSettings calls, Trunks trunks, StoreConfig store, Pins pins, Optional<Path> seed,
                         Duration drain) {
        this(sip, registrar, media, calls, trunks, store, pins, seed, drain, Optional.empty(), Logging.DEFAULT);
    }

    /** A configuration with the default logging. */
    public GatewayConfig(SipEndpointConfig sip, RegistrarConfig registrar, MediaEngineConfig media,
                         CallSettings calls, Trunks trunks, StoreConfig store, Pins pins, Optional<Path> seed,
                         Duration drain, Optional<AdminConfig> admin) {
        this(sip, registrar, media, calls, trunks, store, pins, seed, drain, admin, Logging.DEFAULT);
    }

    /**
     * How the gateway logs.
     *
     * @param format {@code text} (one readable line per event, the call id after the logger) or
     *               {@code json} (one JSON object per line, for log shippers)
     * @param level  the root level: {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG}, {@code TRACE}
     */
    public record Logging(Format format, Level level) {
        /** Text lines at INFO. */
        public static final Logging DEFAULT = new Logging(Format.TEXT, Level.INFO);

        public Logging {
            Objects.requireNonNull(format, "logging.format");
            Objects.requireNonNull(level, "logging.level");
        }

        /** The line format. */
        public enum Format {
            TEXT, JSON;

            /** The name in the configuration: {@code text}, {@code json}. */
            public String wireName() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        /** The root level, as SLF4J names them. */
        public enum Level { ERROR, WARN, INFO, DEBUG, TRACE }
    }

    /**
     * The outbound trunks.
     *
     * @param list            tried in this order; a 5xx/6xx or a timeout moves to the next
     * @param responseTimeout a trunk that sends no response at all within this is skipped
     */
    public record Trunks(List<Trunk> list, Duration responseTimeout) {
        public Trunks {
            Objects.requireNonNull(list, "trunks.list");
            if (list.isEmpty()) {
                throw new IllegalArgumentException("trunks.list: at least one trunk is needed");
            }
            list = List.copyOf(list);
            Objects.requireNonNull(responseTimeout, "trunks.response_timeout");
            if (responseTimeout.isNegative() || responseTimeout.isZero()) {
                throw new IllegalArgumentException("trunks.response_timeout: must be positive, got " + responseTimeout);
            }
        }
    }

    /**
     * PIN hashing.
     *
     * @param pepper the secret mixed into every PIN hash and index
     * @param cost   Argon2id cost ({@link PinHasher.Cost#DEFAULT}; tests use {@code FAST})
     */
    public record Pins(String pepper, PinHasher.Cost cost) {
        public Pins {
            Objects.requireNonNull(pepper, "pins.pepper");
            Objects.requireNonNull(cost, "pins.cost");
            if (pepper.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16) {
                throw new IllegalArgumentException("pins.pepper: must be at least 16 bytes");
            }
        }

        @Override
        public String toString() {
            return "Pins[pepper=***, cost=" + cost + "]";
        }
    }

    /**
     * The sample configuration: SIP on 127.0.0.1:5060 UDP and TCP, RTP on 127.0.0.1 ports
     * 20000-29999, one trunk at 127.0.0.1:5080 over UDP, the embedded store and recordings in
     * {@code dataDir}, the contract's call timings.
     */
    public static GatewayConfig defaults(Path dataDir, String pepper) {
        InetAddress loopback;
        try {
            loopback = InetAddress.getByName(LOOPBACK);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        return new GatewayConfig(SipEndpointConfig.defaults(LOOPBACK), RegistrarConfig.defaults("icgw"),
                MediaEngineConfig.defaults(), CallSettings.defaults(loopback, dataDir.resolve("recordings")),
                new Trunks(List.of(new Trunk(LOOPBACK, SAMPLE_TRUNK_PORT, "UDP")), Duration.ofSeconds(5)),
                StoreConfig.embedded(dataDir, "gw1"), new Pins(pepper, PinHasher.Cost.DEFAULT), Optional.empty(),
                Duration.ofSeconds(30));
    }

    public GatewayConfig withSip(SipEndpointConfig value) {
        return new GatewayConfig(value, registrar, media, calls, trunks, store, pins, seed, drain, admin, logging);
    }

    public GatewayConfig withMedia(MediaEngineConfig value) {
        return new GatewayConfig(sip, registrar, value, calls, trunks, store, pins, seed, drain, admin, logging);
    }

    public GatewayConfig withCalls(CallSettings value) {
        return new GatewayConfig(sip, registrar, media, value, trunks, store, pins, seed, drain, admin, logging);
    }

    public GatewayConfig withTrunks(Trunks value) {
        return new GatewayConfig(sip, registrar, media, calls, value, store, pins, seed, drain, admin, logging);
    }

    public GatewayConfig withStore(StoreConfig value) {
        return new GatewayConfig(sip, registrar, media, calls, trunks, value, pins, seed, drain, admin, logging);
    }

    public GatewayConfig withPins(Pins value) {
        return new GatewayConfig(sip, registrar, media, calls, trunks, store, value, seed, drain, admin, logging);
    }

    public GatewayConfig withSeed(Optional<Path> value) {
        return new GatewayConfig(sip, registrar, media, calls, trunks, store, pins, value, drain, admin, logging);
    }

    public GatewayConfig withDrain(Duration value) {
        return new GatewayConfig(sip, registrar, media, calls, trunks, store, pins, seed, value, admin, logging);
    }

    public GatewayConfig withAdmin(Optional<AdminConfig> value) {
        return new GatewayConfig(sip, registrar, media, calls, trunks, store, pins, seed, drain, value, logging);
    }

    public GatewayConfig withLogging(Logging value) {
        return new GatewayConfig(sip, registrar, media, calls, trunks, store, pins, seed, drain, admin, value);
    }

    public GatewayConfig withRegistrar(RegistrarConfig value) {
        return new GatewayConfig(sip, value, media, calls, trunks, store, pins, seed, drain, admin, logging);
    }
}
