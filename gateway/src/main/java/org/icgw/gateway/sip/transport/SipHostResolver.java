package org.icgw.gateway.sip.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns host names into addresses without ever looking up a name that came in a message (style
 * point 14): an IP literal is parsed, a name from the gateway's own configuration (the trunks) is
 * answered from a cache that one background thread fills at start and refreshes every
 * {@link #REFRESH}, and any other name is refused. A lookup never waits for DNS on the caller's
 * thread: a configured name that has not resolved (yet, or any more) fails at once, so the trunk
 * attempt fails fast and the B2BUA moves on to the next trunk.
 *
 * <p>The configured peers are also the only addresses the transport opens new TCP connections to
 * and the only UDP sources it spares the per-source rate limit ({@link #isConfiguredPeer}).
 */
public final class SipHostResolver implements AutoCloseable {

    /** How often configured names are looked up again (DNS records of trunks change rarely). */
    static final Duration REFRESH = Duration.ofSeconds(60);
    /** Configured peers kept at most: trunks and proxies are a handful; a longer list is a config error. */
    static final int MAX_PEERS = 64;

    private static final Logger log = LoggerFactory.getLogger(SipHostResolver.class);

    /** A configured peer: the host as written (lower case), its port, and its address when the host is a literal. */
    private record Peer(String host, int port, Optional<InetAddress> literal) {
    }

    private final List<Peer> peers;
    private final Map<String, List<InetAddress>> resolved = new ConcurrentHashMap<>();
    private final CountDownLatch firstRound = new CountDownLatch(1);
    private ScheduledExecutorService refresher;

    /**
     * @param configuredPeers unresolved {@code host:port} pairs from the configuration (names or literals)
     */
    public SipHostResolver(Collection<InetSocketAddress> configuredPeers) {
        if (configuredPeers.size() > MAX_PEERS) {
            throw new IllegalArgumentException("at most " + MAX_PEERS + " SIP peers, got " + configuredPeers.size());
        }
        List<Peer> list = new ArrayList<>();
        for (InetSocketAddress peer : configuredPeers) {
            String host = peer.getHostString().toLowerCase(Locale.ROOT);
            list.add(new Peer(host, peer.getPort(), literal(host)));
        }
        this.peers = List.copyOf(list);
    }

    /** A resolver with no configured names: literals only. */
    public static SipHostResolver literalsOnly() {
        return new SipHostResolver(List.of());
    }

    /** Starts the background lookups of the configured names (no thread when all are literals). */
    public synchronized void start() {
        List<String> names = peers.stream().filter(p -> p.literal().isEmpty()).map(Peer::host).distinct().toList();
        if (names.isEmpty() || refresher != null) {
            firstRound.countDown();
            return;
        }
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sip-resolver");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> refresh(names), 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits up to {@code timeout} for the first lookup of every configured name (start-up, not the SIP path). */
    public boolean awaitFirstRound(Duration timeout) throws InterruptedException {
        return firstRound.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refresh(List<String> names) {
        for (String name : names) {
            try {
                resolved.put(name, List.of(InetAddress.getAllByName(name)));
            } catch (UnknownHostException | SecurityException e) {
                resolved.remove(name);
                log.warn("SIP peer '{}' does not resolve: {}", name, e.getMessage());
            }
        }
        firstRound.countDown();
    }

    /**
     * The address of {@code host}: an IP literal ({@code 192.0.2.1}, {@code [2001:db8::1]}) as is, a
     * configured name from the cache; empty for any other name, and for a configured name that did
     * not resolve. Never blocks.
     */
    public Optional<InetAddress> address(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        Optional<InetAddress> literal = literal(host);
        if (literal.isPresent()) {
            return literal;
        }
        List<InetAddress> addresses = resolved.get(host.toLowerCase(Locale.ROOT));
        return addresses == null || addresses.isEmpty() ? Optional.empty() : Optional.of(addresses.getFirst());
    }

    /** Whether {@code address} is a configured peer's address and port (a trunk). */
    public boolean isConfiguredPeer(InetSocketAddress address) {
        if (address == null || address.getAddress() == null) {
            return false;
        }
        for (Peer peer : peers) {
            if (peer.port() != address.getPort()) {
                continue;
            }
            List<InetAddress> addresses = peer.literal().map(List::of).orElseGet(() -> resolved.getOrDefault(peer.host(), List.of()));
            if (addresses.contains(address.getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IPv4 or IPv6 literal (brackets allowed) without any lookup. */
    static Optional<InetAddress> literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty() || !(Character.digit(bare.charAt(0), 16) >= 0 || bare.charAt(0) == ':')) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.ofLiteral(bare));
        } catch (IllegalArgumentException notLiteral) {
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (refresher != null) {
            refresher.shutdownNow();
            try {
                refresher.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refresher = null;
        }
    }
}
