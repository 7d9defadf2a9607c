package org.icgw.policy.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server for the storage tests, started once per test JVM from Debian's
 * binaries ({@code /usr/lib/postgresql/<version>/bin}) into a temporary directory, listening on
 * a free loopback port, and stopped ({@code pg_ctl stop -m fast}) and deleted when the JVM ends.
 *
 * <p>initdb refuses to run as root, so as root the binaries run as the {@code postgres} user
 * that the Debian package creates, and the directory is given to that user. Without PostgreSQL
 * the tests fail: install it with {@code apt-get install -y postgresql}.
 */
public final class PostgresServer {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final String INSTALL_HINT = "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb);"
            + " the storage tests need it: apt-get install -y postgresql";
    private static final String TEMPLATE = "icgw_template";
    private static PostgresServer instance;

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asUser;
    private final AtomicInteger databases = new AtomicInteger();
    private boolean templateReady;

    private PostgresServer(Path bin, Path dir, int port, List<String> asUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asUser = asUser;
    }

    /** The server, started on first use. */
    public static synchronized PostgresServer get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    /**
     * A new database on the server, copied from a template that the store's migrations were
     * applied to once (so each test pays for a copy, not a migration): its JDBC URL, user
     * {@code postgres}, no password.
     */
    public synchronized String newDatabase() {
        if (!templateReady) {
            execute("CREATE DATABASE " + TEMPLATE);
            Flyway.configure().dataSource(url(TEMPLATE), "postgres", "").locations("classpath:db/migration").load()
                    .migrate();
            templateReady = true;
        }
        String name = "icgw_test_" + databases.incrementAndGet();
        execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return url(name);
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: " + sql, e);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static PostgresServer start() {
        Path bin = findBin().orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asUser = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
        try {
            Path dir = Files.createTempDirectory("icgw-pg-");
            if (root) {
                UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            int port = freePort();
            PostgresServer server = new PostgresServer(bin, dir, port, asUser);
            server.run("initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync");
            server.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                    "start");
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-test-stop"));
            LOG.info("test PostgreSQL from {} on 127.0.0.1:{} in {}", bin, port, dir);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL", e);
        }
    }

    private void stop() {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
        } catch (RuntimeException e) {
            LOG.warn("stopping the test PostgreSQL failed", e);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete {}", dir, e);
        }
    }

    private void run(String program, String... args) {
        List<String> cmd = new ArrayList<>(asUser);
        cmd.add(bin.resolve(program).toString());
        cmd.addAll(List.of(args));
        Path log = dir.resolve(program + ".out");
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(program + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): "
                        + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + program, e);
        }
    }

    private static Optional<Path> findBin() {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(base)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
