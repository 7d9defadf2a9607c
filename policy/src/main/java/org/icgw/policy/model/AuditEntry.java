package org.icgw.policy.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change made through the admin API: who, what and when.
 *
 * @param actor    who: the token's scope and fingerprint ({@code staff:1f2e3d4c}), never the token
 * @param method   the HTTP method of the change
 * @param path     the request path
 * @param entityId the id of the thing changed, when there is one
 */
public record AuditEntry(long id, Instant at, String actor, String method, String path, Optional<String> entityId) {
    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(entityId, "entity_id");
    }
}
