package org.icgw.gateway.sip.registrar;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registrar's location service: live bindings per terminal username, in memory, at most a
 * given number per terminal. Each username's bindings are an immutable list, least recently
 * refreshed first, replaced atomically, so readers on other threads (metrics, admin API, call
 * setup) see whole updates. Expired bindings vanish from every answer and are swept when counted.
 */
public final class Registrations {

    private final ConcurrentHashMap<String, List<Binding>> byUser = new ConcurrentHashMap<>();
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
        return byUser.getOrDefault(username, List.of()).reversed().stream().filter(b -> b.activeAt(now)).toList();
    }

    /** Live bindings over all terminals (the {@code icgw_registrations_active} gauge). */
    public int activeCount() {
        Instant now = clock.instant();
        byUser.replaceAll((user, bindings) -> live(bindings, now));
        byUser.values().removeIf(List::isEmpty);
        return byUser.values().stream().mapToInt(List::size).sum();
    }

    /** Drops every binding of the terminal (unregister with {@code *}, or the terminal was disabled). */
    public void removeAll(String username) {
        byUser.remove(username);
    }

    /**
     * Adds or refreshes a binding, keyed by its contact URI, as the terminal's most recent. When
     * the terminal would then hold more than {@code maxContacts}, its least recently refreshed
     * bindings are dropped (RFC 5626 §4.2 in spirit: the device that registers last wins), so the
     * list, and the 200 OK that lists it, stay bounded.
     *
     * @return how many bindings were dropped to make room
     */
    int put(Binding binding, int maxContacts) {
        if (maxContacts < 1) {
            throw new IllegalArgumentException("maxContacts must be at least 1, got " + maxContacts);
        }
        int[] dropped = {0};
        byUser.compute(binding.username(), (user, bindings) -> {
            List<Binding> next = new ArrayList<>(live(bindings == null ? List.of() : bindings, clock.instant()));
            next.removeIf(b -> b.contact().equals(binding.contact()));
            next.add(binding);
            while (next.size() > maxContacts) {
                next.removeFirst();
                dropped[0]++;
            }
            return List.copyOf(next);
        });
        return dropped[0];
    }

    /** Removes one contact's binding. */
    void remove(String username, String contact) {
        byUser.computeIfPresent(username, (user, bindings) -> {
            List<Binding> next = bindings.stream().filter(b -> !b.contact().equals(contact)).toList();
            return next.isEmpty() ? null : next;
        });
    }

    private static List<Binding> live(List<Binding> bindings, Instant now) {
        if (bindings.stream().allMatch(b -> b.activeAt(now))) {
            return bindings;
        }
        return bindings.stream().filter(b -> b.activeAt(now)).toList();
    }
}
