package org.icgw.gateway.admin;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icgw.policy.ValidationException;

/**
 * One request, decoded and authenticated, as a handler sees it.
 *
 * @param method     the HTTP method, upper case
 * @param path       the decoded path, without the query
 * @param pathParams the values of the route pattern's {@code {name}} segments
 * @param query      the query parameters, decoded
 * @param body       the request body (empty for none)
 * @param actor      who made it: the token's scope and fingerprint ({@code staff:1f2e3d4c}),
 *                   or {@code anonymous} on a public route
 */
public record AdminRequest(String method, String path, Map<String, String> pathParams,
                           Map<String, List<String>> query, byte[] body, String actor) {

    /** A path parameter the route pattern declares. */
    public String param(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return v;
    }

    /** A query parameter given once, or empty; given twice is a 400 naming it. */
    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1) {
            throw new ValidationException(name, "given more than once");
        }
        return Optional.of(v.getFirst());
    }

    /** A whole-number query parameter within bounds. */
    public int intParam(String name, int fallback, int min, int max) {
        Optional<String> v = queryParam(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new ValidationException(name, "must be " + min + " to " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ValidationException(name, "must be a whole number, got '" + v.get() + "'");
        }
    }

    /** A {@code true}/{@code false} query parameter. */
    public boolean boolParam(String name, boolean fallback) {
        Optional<String> v = queryParam(name);
        if (v.isEmpty()) {
            return fallback;
        }
        return switch (v.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ValidationException(name, "must be true or false, got '" + v.get() + "'");
        };
    }

    /** An ISO-8601 instant query parameter ({@code 2026-03-01T00:00:00Z}). */
    public Optional<Instant> instantParam(String name) {
        return queryParam(name).map(v -> {
            try {
                return Instant.parse(v);
            } catch (DateTimeException e) {
                throw new ValidationException(name, "must be an ISO-8601 instant such as 2026-03-01T00:00:00Z, got '"
                        + v + "'");
            }
        });
    }
}
