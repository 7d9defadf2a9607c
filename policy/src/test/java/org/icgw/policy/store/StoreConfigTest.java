package org.icgw.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.icgw.policy.rate.RateCaps;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
    private static final RateCaps CAPS = RateCaps.standard();

    private static StoreConfig config(String url, int pool, String node) {
        return new StoreConfig(url, Optional.empty(), Optional.empty(), pool, node, CAPS);
    }

    @Test
    void embeddedDefaultNamesTheDataFolder() {
        StoreConfig c = StoreConfig.embedded(Path.of("/var/lib/icgw"), "gw-1");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:h2:file:/var/lib/icgw/icgw;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
                + "DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=128");
        assertThat(c.poolSize()).isEqualTo(StoreConfig.DEFAULT_POOL_SIZE);
        assertThat(c.nodeId()).isEqualTo("gw-1");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> config("jdbc:mysql://x/y", 4, "gw")).hasMessageStartingWith("jdbc_url:");
        assertThatThrownBy(() -> config("jdbc:h2:file:/tmp/x", 4, "gw")).hasMessageStartingWith("jdbc_url:");
        assertThatThrownBy(() -> config("jdbc:postgresql://127.0.0.1/icgw", 0, "gw"))
                .hasMessageStartingWith("pool_size:");
        assertThatThrownBy(() -> config("jdbc:postgresql://127.0.0.1/icgw", 4, "gw 1"))
                .hasMessageStartingWith("node_id:");
        assertThat(config("jdbc:postgresql://127.0.0.1/icgw", 4, "gw-1.a").nodeId()).isEqualTo("gw-1.a");
    }
}
