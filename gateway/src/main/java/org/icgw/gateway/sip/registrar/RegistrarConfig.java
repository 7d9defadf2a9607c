package org.icgw.gateway.sip.registrar;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the registrar authenticates and keeps bindings.
 *
 * @param realm             the digest realm (RFC 3261 §22.1), e.g. the gateway's domain
 * @param nonceLifetime     how long a nonce is accepted; an older one is challenged again with
 *                          {@code stale=true}
 * @param minExpires        shortest registration accepted; shorter gets 423 (RFC 3261 §10.3 step 7)
 * @param maxExpires        longest registration granted; longer is shortened to this
 * @param defaultExpires    granted when the request names no expiry
 * @param digestAlgorithms  offered in this order, one WWW-Authenticate each (RFC 8760 §2.4: the
 *                          preferred first); default SHA-256 then MD5
 * @param maxContacts       contacts one terminal may hold; a new one replaces the oldest, so a
 *                          REGISTER's 200 OK stays far below the UDP size limit
 */
public record RegistrarConfig(String realm, Duration nonceLifetime, int minExpires, int maxExpires, int defaultExpires,
        List<DigestAlgorithm> digestAlgorithms, int maxContacts) {

    /** Default contacts per terminal: a phone, a softphone and room for a restart's stale binding. */
    public static final int DEFAULT_MAX_CONTACTS = 5;
    /** Upper bound of {@code max_contacts}: 20 contacts of ~200 bytes keep a 200 OK under 5 kB. */
    public static final int MAX_CONTACTS_LIMIT = 20;

    public RegistrarConfig {
        Objects.requireNonNull(realm, "sip.registrar.realm");
        if (realm.isBlank() || realm.contains("\"") || realm.contains("\\")) {
            throw new IllegalArgumentException("sip.registrar.realm: must be non-blank without quotes or backslashes");
        }
        Objects.requireNonNull(nonceLifetime, "sip.registrar.nonce_lifetime");
        if (nonceLifetime.isNegative() || nonceLifetime.isZero()) {
            throw new IllegalArgumentException("sip.registrar.nonce_lifetime: must be positive, got " + nonceLifetime);
        }
        if (minExpires < 1) {
            throw new IllegalArgumentException("sip.registrar.min_expires: must be at least 1, got " + minExpires);
        }
        if (maxExpires < minExpires) {
            throw new IllegalArgumentException("sip.registrar.max_expires: must be at least min_expires (" + minExpires + "), got " + maxExpires);
        }
        if (defaultExpires < minExpires || defaultExpires > maxExpires) {
            throw new IllegalArgumentException("sip.registrar.default_expires: must be within " + minExpires + "-" + maxExpires + ", got " + defaultExpires);
        }
        Objects.requireNonNull(digestAlgorithms, "sip.registrar.digest_algorithms");
        if (digestAlgorithms.isEmpty() || digestAlgorithms.stream().distinct().count() != digestAlgorithms.size()) {
            throw new IllegalArgumentException("sip.registrar.digest_algorithms: must list SHA-256 and/or MD5 once each");
        }
        digestAlgorithms = List.copyOf(digestAlgorithms);
        if (maxContacts < 1 || maxContacts > MAX_CONTACTS_LIMIT) {
            throw new IllegalArgumentException("sip.registrar.max_contacts: must be 1-" + MAX_CONTACTS_LIMIT + ", got " + maxContacts);
        }
    }

    /** A configuration with the default contact limit. */
    public RegistrarConfig(String realm, Duration nonceLifetime, int minExpires, int maxExpires, int defaultExpires,
            List<DigestAlgorithm> digestAlgorithms) {
        this(realm, nonceLifetime, minExpires, maxExpires, defaultExpires, digestAlgorithms, DEFAULT_MAX_CONTACTS);
    }

    /** Five-minute nonces, registrations of 60 s to 1 h (default 1 h), SHA-256 offered before MD5. */
    public static RegistrarConfig defaults(String realm) {
        return new RegistrarConfig(realm, Duration.ofMinutes(5), 60, 3600, 3600,
                List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5));
    }

    /** This configuration offering other algorithms, in order. */
    public RegistrarConfig withDigestAlgorithms(List<DigestAlgorithm> algorithms) {
        return new RegistrarConfig(realm, nonceLifetime, minExpires, maxExpires, defaultExpires, algorithms, maxContacts);
    }
}
