package org.icgw.gateway;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.icgw.gateway.config.ConfigException;
import org.icgw.gateway.config.ConfigLoader;
import org.icgw.gateway.config.Durations;
import org.icgw.policy.store.PolicyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts the gateway from the command line and runs it until SIGTERM or Ctrl-C.
 *
 * <p>The configuration is one YAML file ({@code --config FILE}; see {@code deploy/icgw.yaml} and
 * {@link ConfigLoader}); without one, the built-in defaults: SIP on 127.0.0.1:5060 UDP and TCP,
 * RTP on 127.0.0.1 ports 20000-29999, HTTP on 127.0.0.1:8080, one trunk at 127.0.0.1:5080 UDP,
 * the embedded store and recordings in {@code ./data}. Options override single keys on top:
 * {@code --data DIR} ({@code data_dir}), {@code --seed FILE} ({@code seed}), {@code --jdbc-url URL}
 * ({@code store.jdbc_url}), {@code --db-user U} ({@code store.user}), {@code --node-id ID}
 * ({@code store.node_id}), {@code --sip-address A} ({@code sip.bind_address}), {@code --sip-port P}
 * ({@code sip.port}), {@code --trunk HOST:PORT[/tcp]} (repeatable, in order: {@code trunks.list}),
 * {@code --http-port P} ({@code admin.port}), {@code --digest SHA-256,MD5}
 * ({@code sip.registrar.digest_algorithms}), {@code --drain DURATION} ({@code drain}).
 *
 * <p>Exit codes: 2 and one line {@code config error: <key>: <problem>} on stderr for a mistake in
 * the configuration or the options; 1 when the gateway cannot start (a port in use, the store
 * unreachable); 0 after SIGTERM or SIGINT: new calls are refused 503, calls in progress run up to
 * {@code drain}, the rest end with the goodbye prompt, and money, CDRs and recordings settle.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    /** The configuration the arguments name, with secrets from {@code env}. */
    static GatewayConfig configure(String[] args, Map<String, String> env) {
        Optional<Path> file = Optional.empty();
        ConfigLoader.Overrides overrides = new ConfigLoader.Overrides();
        List<Map<String, Object>> trunks = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new ConfigException(option, "needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--config" -> file = Optional.of(Path.of(value));
                case "--data" -> overrides.put("data_dir", value, option);
                case "--seed" -> overrides.put("seed", value, option);
                case "--jdbc-url" -> overrides.put("store.jdbc_url", value, option);
                case "--db-user" -> overrides.put("store.user", value, option);
                case "--node-id" -> overrides.put("store.node_id", value, option);
                case "--sip-address" -> overrides.put("sip.bind_address", value, option);
                case "--sip-port" -> overrides.put("sip.port", number(value), option);
                case "--http-port" -> overrides.put("admin.port", number(value), option);
                case "--digest" -> overrides.put("sip.registrar.digest_algorithms", List.of(value.split(",")), option);
                case "--drain" -> overrides.put("drain", value, option);
                case "--trunk" -> {
                    String[] parts = value.split("/", 2);
                    int colon = parts[0].lastIndexOf(':');
                    if (colon <= 0 || colon == parts[0].length() - 1) {
                        throw new ConfigException(option, "expected host:port[/tcp], got " + value);
                    }
                    Map<String, Object> trunk = new LinkedHashMap<>();
                    trunk.put("host", parts[0].substring(0, colon));
                    trunk.put("port", number(parts[0].substring(colon + 1)));
                    trunk.put("transport", parts.length > 1 ? parts[1] : "udp");
                    trunks.add(trunk);
                    overrides.put("trunks.list", List.copyOf(trunks), option);
                }
                default -> throw new ConfigException(option, "is not an option (--config, --data, --seed, "
                        + "--jdbc-url, --db-user, --node-id, --sip-address, --sip-port, --trunk, --http-port, "
                        + "--digest, --drain)");
            }
        }
        return ConfigLoader.load(file, overrides, env);
    }

    /** A whole number when the text is one, else the text (the loader then names the key and the mistake). */
    private static Object number(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return text;
        }
    }

    public static void main(String[] args) throws InterruptedException {
        // Netty's leak detector samples buffer allocations with a stack trace each: a cost on every
        // RTP packet path that a production process does not pay. -Dio.netty.leakDetection.level
        // turns it back on.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        GatewayConfig config;
        try {
            if (LoggingSetup.forcedFormat().isPresent()) {
                LoggingSetup.apply(GatewayConfig.Logging.DEFAULT);
            }
            config = configure(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println("config error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LoggingSetup.apply(config.logging());
        ConfigLoader.warnings(config).forEach(LOG::warn);
        LOG.info("configuration: {}", config);

        // SIGTERM and SIGINT drain the gateway on the main thread, then exit 0. The JVM's own
        // handling would run every shutdown hook at once, the embedded database's among them,
        // which closes the store while calls still settle.
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                LOG.info("SIG{} received: refusing new calls, draining those in progress (up to {})", name,
                        Durations.format(config.drain()));
                stop.countDown();
            });
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (IOException | RuntimeException e) {
            LOG.error("gateway did not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "icgw-shutdown"));
        PolicyStore store = gateway.store();
        LOG.info("store ready: {} facilities, {} terminals, {} inmates, {} accounts", store.facilities().size(),
                store.terminals(Optional.empty()).size(), store.inmates(Optional.empty()).size(),
                store.accounts().size());
        LOG.info("gateway running (node {}); stop with Ctrl-C or SIGTERM", config.store().nodeId());
        stop.await();
        gateway.close();
        System.exit(0);
    }
}
