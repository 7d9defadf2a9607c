package org.icgw.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.b2bua.Trunk;
import org.icgw.policy.rate.RateCaps;
import org.icgw.policy.store.PolicyStore;
import org.icgw.policy.store.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway from the command line: the sample configuration
 * ({@link GatewayConfig#defaults}: SIP on 127.0.0.1:5060 UDP and TCP, RTP on 127.0.0.1 ports
 * 20000-29999, one trunk at 127.0.0.1:5080 UDP, the embedded store and recordings in the data
 * folder) changed by the options, and runs until stopped (Ctrl-C or SIGTERM drain the calls).
 *
 * <p>Options: {@code --data DIR} (default {@code data}), {@code --seed FILE}, {@code --jdbc-url URL},
 * {@code --db-user U}, {@code --node-id ID} (default {@code gw1}), {@code --sip-address A},
 * {@code --sip-port P}, {@code --trunk HOST:PORT[/tcp]} (repeatable, in order; replaces the
 * sample trunk). The PIN pepper comes from the environment variable {@code ICGW_PIN_PEPPER}, the
 * database password from {@code ICGW_DB_PASSWORD}. A bad option exits with code 2 and one line
 * naming it; a gateway that cannot start (a port in use) exits with code 1.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** Used only when no pepper is configured, so that the demo runs; never for a real facility. */
    private static final String DEMO_PEPPER = "icgw-demo-pepper-not-for-production";

    private Main() {
    }

    /** Options as given on the command line. */
    record Options(Path data, Optional<Path> seed, Optional<String> jdbcUrl, Optional<String> dbUser, String nodeId,
                   Optional<String> sipAddress, Optional<Integer> sipPort, List<Trunk> trunks) {
        static Options parse(String[] args) {
            Path data = Path.of("data");
            Optional<Path> seed = Optional.empty();
            Optional<String> url = Optional.empty();
            Optional<String> user = Optional.empty();
            String node = "gw1";
            Optional<String> sipAddress = Optional.empty();
            Optional<Integer> sipPort = Optional.empty();
            List<Trunk> trunks = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String key = args[i];
                if (i + 1 >= args.length) {
                    throw new ConfigError(key, "needs a value");
                }
                String value = args[++i];
                switch (key) {
                    case "--data" -> data = Path.of(value);
                    case "--seed" -> seed = Optional.of(Path.of(value));
                    case "--jdbc-url" -> url = Optional.of(value);
                    case "--db-user" -> user = Optional.of(value);
                    case "--node-id" -> node = value;
                    case "--sip-address" -> sipAddress = Optional.of(value);
                    case "--sip-port" -> {
                        try {
                            sipPort = Optional.of(Integer.parseInt(value));
                        } catch (NumberFormatException e) {
                            throw new ConfigError(key, "not a port: " + value);
                        }
                    }
                    case "--trunk" -> {
                        String[] parts = value.split("/", 2);
                        try {
                            trunks.add(Trunk.parse(parts[0], parts.length > 1 ? parts[1] : "UDP"));
                        } catch (IllegalArgumentException e) {
                            throw new ConfigError(key, e.getMessage());
                        }
                    }
                    default -> throw new ConfigError(key, "is not an option (--data, --seed, --jdbc-url, --db-user, "
                            + "--node-id, --sip-address, --sip-port, --trunk)");
                }
            }
            if (seed.isPresent() && !Files.isReadable(seed.get())) {
                throw new ConfigError("--seed", "cannot read " + seed.get());
            }
            return new Options(data, seed, url, user, node, sipAddress, sipPort, List.copyOf(trunks));
        }

        /** The sample configuration with these options applied. */
        GatewayConfig config(String pepper) {
            StoreConfig store = new StoreConfig(jdbcUrl.orElse(StoreConfig.embeddedUrl(data)), dbUser,
                    Optional.ofNullable(System.getenv("ICGW_DB_PASSWORD")), StoreConfig.DEFAULT_POOL_SIZE, nodeId,
                    RateCaps.standard());
            GatewayConfig config = GatewayConfig.defaults(data, pepper).withStore(store).withSeed(seed);
            SipEndpointConfig sip = config.sip();
            if (sipAddress.isPresent()) {
                sip = new SipEndpointConfig(sipAddress.get(), sip.port(), sip.maxMessageSize(), sip.ratePerSecond(),
                        sip.rateBurst());
            }
            if (sipPort.isPresent()) {
                sip = sip.withPort(sipPort.get());
            }
            config = config.withSip(sip);
            if (!trunks.isEmpty()) {
                config = config.withTrunks(new GatewayConfig.Trunks(trunks, config.trunks().responseTimeout()));
            }
            return config;
        }
    }

    /** A configuration mistake: the key and what is wrong with it. */
    static final class ConfigError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConfigError(String key, String problem) {
            super(key + ": " + problem);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        String pepper = Optional.ofNullable(System.getenv("ICGW_PIN_PEPPER")).orElse(DEMO_PEPPER);
        GatewayConfig config;
        try {
            config = Options.parse(args).config(pepper);
        } catch (ConfigError | IllegalArgumentException e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (pepper.equals(DEMO_PEPPER)) {
            LOG.warn("ICGW_PIN_PEPPER is not set: using the demo pepper; set a secret of your own for real use");
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (IOException | RuntimeException e) {
            LOG.error("gateway did not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        PolicyStore store = gateway.store();
        LOG.info("store ready: {} facilities, {} terminals, {} inmates, {} accounts", store.facilities().size(),
                store.terminals(Optional.empty()).size(), store.inmates(Optional.empty()).size(),
                store.accounts().size());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "icgw-shutdown"));
        LOG.info("gateway running (node {}); stop with Ctrl-C or SIGTERM", config.store().nodeId());
        stopped.await();
    }
}
