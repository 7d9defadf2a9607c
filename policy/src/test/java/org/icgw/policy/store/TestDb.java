package org.icgw.policy.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.icgw.policy.rate.RateCaps;

/** The two databases every storage test runs on. */
enum TestDb {
    H2 {
        @Override
        Database fresh(Path tmp) {
            try {
                return new Database(StoreConfig.embeddedUrl(Files.createTempDirectory(tmp, "h2-")), Optional.empty());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    },
    POSTGRESQL {
        @Override
        Database fresh(Path tmp) {
            return new Database(PostgresServer.get().newDatabase(), Optional.of("postgres"));
        }
    };

    /** A new empty database. */
    abstract Database fresh(Path tmp);

    /** One database, which several stores (gateway processes) may open. */
    record Database(String url, Optional<String> user) {
        JdbcPolicyStore open(String nodeId) {
            return open(nodeId, 8);
        }

        JdbcPolicyStore open(String nodeId, int poolSize) {
            return PolicyStores.open(new StoreConfig(url, user, Optional.empty(), poolSize, nodeId, RateCaps.standard()));
        }
    }
}
