package org.icgw.policy.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.icgw.policy.rate.RateCaps;

/**
 * Where the store lives and how this gateway process uses it.
 *
 * @param jdbcUrl  {@code jdbc:h2:file:...} for the embedded database (see {@link #embedded}; an H2 URL
 *                 must carry {@link #H2_OPTIONS}) or {@code jdbc:postgresql://host:port/db}
 * @param poolSize connections in the pool
 * @param nodeId   names this gateway process: reservations it holds carry it, and at open the
 *                 store returns those left by an earlier run with the same id. Two processes
 *                 sharing a database must have different ids.
 * @param caps     the rate caps that {@link PolicyStore#saveRate} enforces
 * @param maxWriteWait how long a write kept for the store (a CDR, a settlement) may wait before
 *                 the gateway reports itself not ready
 */
public record StoreConfig(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize,
                          String nodeId, RateCaps caps, Duration maxWriteWait) {

    /**
     * Default {@code max_write_wait}: a store back within it (a failover, a restart) goes unnoticed
     * by the load balancer; longer, and CDRs and money are piling up, which an operator must see.
     * Fifteen retries at the gateway's 2 s interval.
     */
    public static final Duration DEFAULT_MAX_WRITE_WAIT = Duration.ofSeconds(30);

    /** Default pool size: enough for the call threads that touch the store at once. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /**
     * H2 settings that make the embedded database behave as PostgreSQL does for this schema:
     * lower-case identifiers, NULLs sorted last ascending, and a lock wait long enough for many
     * calls settling on one account.
     */
    public static final String H2_OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000";

    /**
     * H2's cache of parsed statements per connection (its default, 8, is fewer than the distinct
     * statements of one call, so every statement was parsed and planned again at each use).
     */
    public static final String H2_QUERY_CACHE = ";QUERY_CACHE_SIZE=128";

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbc_url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(nodeId, "node_id");
        Objects.requireNonNull(caps, "caps");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbc_url: expected jdbc:h2:... or jdbc:postgresql:..., got " + jdbcUrl);
        }
        String upper = jdbcUrl.toUpperCase(Locale.ROOT);
        if (upper.startsWith("JDBC:H2:") && !(upper.contains(";MODE=POSTGRESQL") && upper.contains(";DATABASE_TO_LOWER=TRUE")
                && upper.contains(";DEFAULT_NULL_ORDERING=HIGH"))) {
            throw new IllegalArgumentException("jdbc_url: an H2 URL must end with " + H2_OPTIONS
                    + " so that the schema behaves as on PostgreSQL, got " + jdbcUrl);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool_size: must be at least 1, got " + poolSize);
        }
        if (!nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("node_id: 1 to 64 letters, digits, '.', '_' or '-', got '" + nodeId + "'");
        }
        Objects.requireNonNull(maxWriteWait, "max_write_wait");
        if (maxWriteWait.isNegative() || maxWriteWait.isZero()) {
            throw new IllegalArgumentException("max_write_wait: must be positive, got " + maxWriteWait);
        }
    }

    /** A configuration with the default {@link #DEFAULT_MAX_WRITE_WAIT}. */
    public StoreConfig(String jdbcUrl, Optional<String> user, Optional<String> password, int poolSize, String nodeId,
                       RateCaps caps) {
        this(jdbcUrl, user, password, poolSize, nodeId, caps, DEFAULT_MAX_WRITE_WAIT);
    }

    /** Masks the password, and a password written into the JDBC URL. */
    @Override
    public String toString() {
        return "StoreConfig[jdbcUrl=" + jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***") + ", user="
                + user.orElse("(none)") + ", password=" + (password.isPresent() ? "***" : "(none)") + ", poolSize="
                + poolSize + ", nodeId=" + nodeId + ", maxWriteWait=" + maxWriteWait + "]";
    }

    /** The JDBC URL of the embedded database in {@code dataDir}. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("icgw") + H2_OPTIONS + H2_QUERY_CACHE;
    }

    /** The embedded database in {@code dataDir}, the standard rate caps and the default pool. */
    public static StoreConfig embedded(Path dataDir, String nodeId) {
        return new StoreConfig(embeddedUrl(dataDir), Optional.empty(), Optional.empty(), DEFAULT_POOL_SIZE, nodeId,
                RateCaps.standard());
    }
}
