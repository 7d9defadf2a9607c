package org.icgw.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.icgw.gateway.sip.registrar.TerminalCredentials;
import org.icgw.gateway.sip.registrar.TerminalDirectory;
import org.icgw.policy.decision.PolicyView;
import org.icgw.policy.model.Terminal;

/**
 * Terminals' SIP credentials from the policy store, remembered for a short time so that the SIP
 * thread does not query the database for every REGISTER and INVITE. A change made through the
 * store (a terminal disabled) is seen within {@code ttl}.
 */
public final class StoreTerminalDirectory implements TerminalDirectory {

    private record Entry(Optional<TerminalCredentials> credentials, Instant until) {
    }

    private final PolicyView store;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    public StoreTerminalDirectory(PolicyView store, Duration ttl, Clock clock) {
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<TerminalCredentials> byUsername(String username) {
        Instant now = clock.instant();
        Entry entry = cache.get(username);
        if (entry == null || !now.isBefore(entry.until())) {
            entry = new Entry(store.terminalByUsername(username).map(StoreTerminalDirectory::credentials), now.plus(ttl));
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(username, entry);
        }
        return entry.credentials();
    }

    private static TerminalCredentials credentials(Terminal t) {
        return new TerminalCredentials(t.sipUsername(), t.sipPassword(), t.enabled(), t.id(), t.facilityId());
    }
}
