package org.icgw.policy.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the store: pool, schema migration, and the return of reservations a dead run left. */
public final class PolicyStores {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStores.class);

    private PolicyStores() {
    }

    /**
     * Opens the database named by {@code config}, brings its schema up to date (Flyway,
     * {@code db/migration}), then returns every reservation held by an earlier run of this node.
     *
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static JdbcPolicyStore open(StoreConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.jdbcUrl());
        config.user().ifPresent(hc::setUsername);
        config.password().ifPresent(hc::setPassword);
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setPoolName("icgw-store-" + config.nodeId());
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(10_000);
        hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the store at " + redact(config.jdbcUrl()) + ": " + e.getMessage(), e);
        }
        try {
            Flyway flyway = Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:db/migration")
                    .load();
            int applied = flyway.migrate().migrationsExecuted;
            LOG.info("store {} at schema version {} ({} migrations applied now)", redact(config.jdbcUrl()),
                    flyway.info().current().getVersion(), applied);
            JdbcPolicyStore store = new JdbcPolicyStore(ds, config.nodeId(), config.caps());
            int returned = store.credit().releaseAbandoned();
            if (returned > 0) {
                LOG.warn("returned {} reservations abandoned by an earlier run of node {}", returned, config.nodeId());
            }
            return store;
        } catch (RuntimeException e) {
            ds.close();
            throw e instanceof StoreException se ? se
                    : new StoreException("cannot prepare the store at " + redact(config.jdbcUrl()) + ": " + e.getMessage(), e);
        }
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
