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
 */
public record RegistrarConfig(String realm, Duration nonceLifetime, int minExpires, int maxExpires, int defaultExpires,
        List<DigestAlgorithm> digestAlgorithms) {

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
    }

    /** Five-minute nonces, registrations of 60 s to 1 h (default 1 h), SHA-256 offered before MD5. */
    public static RegistrarConfig defaults(String realm) {
        return new RegistrarConfig(realm, Duration.ofMinutes(5), 60, 3600, 3600,
                List.of(DigestAlgorithm.SHA_256, DigestAlgorithm.MD5));
    }

    /** This configuration offering other algorithms, in order. */
    public RegistrarConfig withDigestAlgorithms(List<DigestAlgorithm> algorithms) {
        return new RegistrarConfig(realm, nonceLifetime, minExpires, maxExpires, defaultExpires, algorithms);
    }
}
