package org.icgw.gateway.sip.registrar;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registrar's location service: live bindings per terminal username, in memory. Each
 * username's bindings are an immutable map replaced atomically, so readers on other threads
 * (metrics, admin API, call setup) see whole updates. Expired bindings vanish from every answer
 * and are swept when counted.
 */
public final class Registrations {

    private static final Comparator<Binding> NEWEST_FIRST = Comparator.comparing(Binding::registeredAt).reversed()
            .thenComparing(Binding::contact);

    private final ConcurrentHashMap<String, Map<String, Binding>> byUser = new ConcurrentHashMap<>();
    private final InstantSource clock;

    public Registrations(InstantSource clock) {
        this.clock = clock;
    }

    /** Whether the terminal has at least one live binding. */
    public boolean isRegistered(String username) {
        return !bindings(username).isEmpty();
    }

    /** The most recently refreshed live binding: where to reach the terminal. */
    public Optional<Binding> binding(String username) {
        return bindings(username).stream().findFirst();
    }

    /** Every live binding of the terminal, most recently refreshed first. */
    public List<Binding> bindings(String username) {
        Instant now = clock.instant();
        return byUser.getOrDefault(username, Map.of()).values().stream()
                .filter(b -> b.activeAt(now))
                .sorted(NEWEST_FIRST)
                .toList();
    }

    /** Live bindings over all terminals (the {@code icgw_registrations_active} gauge). */
    public int activeCount() {
        Instant now = clock.instant();
        byUser.replaceAll((user, bindings) -> live(bindings, now));
        byUser.values().removeIf(Map::isEmpty);
        return byUser.values().stream().mapToInt(Map::size).sum();
    }

    /** Drops every binding of the terminal (unregister with {@code *}, or the terminal was disabled). */
    public void removeAll(String username) {
        byUser.remove(username);
    }

    /** Adds or refreshes a binding, keyed by its contact URI. */
    void put(Binding binding) {
        byUser.compute(binding.username(), (user, bindings) -> {
            Map<String, Binding> next = new LinkedHashMap<>(live(bindings == null ? Map.of() : bindings, clock.instant()));
            next.put(binding.contact(), binding);
            return Map.copyOf(next);
        });
    }

    /** Removes one contact's binding. */
    void remove(String username, String contact) {
        byUser.computeIfPresent(username, (user, bindings) -> {
            Map<String, Binding> next = new LinkedHashMap<>(bindings);
            next.remove(contact);
            return next.isEmpty() ? null : Map.copyOf(next);
        });
    }

    private static Map<String, Binding> live(Map<String, Binding> bindings, Instant now) {
        if (bindings.values().stream().allMatch(b -> b.activeAt(now))) {
            return bindings;
        }
        Map<String, Binding> next = new LinkedHashMap<>();
        bindings.forEach((contact, b) -> {
            if (b.activeAt(now)) {
                next.put(contact, b);
            }
        });
        return Map.copyOf(next);
    }
}
