package org.icgw.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.rate.RateCaps;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.SeedLoader;
import org.icgw.policy.store.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the gateway. Today it opens the store (embedded H2 in the data folder, or PostgreSQL by
 * {@code --jdbc-url}), provisions it from the seed file when it is empty, and runs until stopped;
 * SIP, media and the admin API join as they are built.
 *
 * <p>Options: {@code --data DIR} (default {@code data}), {@code --seed FILE}, {@code --jdbc-url URL},
 * {@code --db-user U}, {@code --node-id ID} (default {@code gw1}). The PIN pepper comes from the
 * environment variable {@code ICGW_PIN_PEPPER}. A bad option exits with code 2 and one line
 * naming it.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** Used only when no pepper is configured, so that the demo runs; never for a real facility. */
    private static final String DEMO_PEPPER = "icgw-demo-pepper-not-for-production";

    private Main() {
    }

    /** Options as given on the command line. */
    record Options(Path data, Optional<Path> seed, Optional<String> jdbcUrl, Optional<String> dbUser, String nodeId) {
        static Options parse(String[] args) {
            Path data = Path.of("data");
            Optional<Path> seed = Optional.empty();
            Optional<String> url = Optional.empty();
            Optional<String> user = Optional.empty();
            String node = "gw1";
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
                    default -> throw new ConfigError(key, "is not an option (--data, --seed, --jdbc-url, --db-user, --node-id)");
                }
            }
            if (seed.isPresent() && !Files.isReadable(seed.get())) {
                throw new ConfigError("--seed", "cannot read " + seed.get());
            }
            return new Options(data, seed, url, user, node);
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
        Options options;
        StoreConfig storeConfig;
        try {
            options = Options.parse(args);
            storeConfig = new StoreConfig(
                    options.jdbcUrl().orElse(StoreConfig.embeddedUrl(options.data())), options.dbUser(),
                    Optional.ofNullable(System.getenv("ICGW_DB_PASSWORD")), StoreConfig.DEFAULT_POOL_SIZE,
                    options.nodeId(), RateCaps.standard());
        } catch (ConfigError | IllegalArgumentException e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(2);
            return;
        }
        String pepper = Optional.ofNullable(System.getenv("ICGW_PIN_PEPPER")).orElseGet(() -> {
            LOG.warn("ICGW_PIN_PEPPER is not set: using the demo pepper; set a secret of your own for real use");
            return DEMO_PEPPER;
        });
        PinHasher pins = new PinHasher(PinHasher.Cost.DEFAULT, pepper);
        JdbcPolicyStore store = PolicyStores.open(storeConfig);
        if (options.seed().isPresent() && store.facilities().isEmpty()) {
            SeedLoader.Summary summary = SeedLoader.load(options.seed().get(), store, pins, Instant.now());
            LOG.info("provisioned from {}: {}", options.seed().get(), summary);
        }
        LOG.info("store ready: {} facilities, {} terminals, {} inmates, {} accounts", store.facilities().size(),
                store.terminals(Optional.empty()).size(), store.inmates(Optional.empty()).size(),
                store.accounts().size());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            store.close();
            stopped.countDown();
        }, "icgw-shutdown"));
        LOG.info("gateway running (node {}); stop with Ctrl-C or SIGTERM", options.nodeId());
        stopped.await();
    }
}
