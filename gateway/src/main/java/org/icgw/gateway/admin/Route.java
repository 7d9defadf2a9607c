package org.icgw.gateway.admin;

import java.util.Objects;
import java.util.Optional;

/**
 * One route: a method and a path pattern whose {@code {name}} segments match one path segment
 * each, the scope a token needs (none for a public route), and the handler.
 */
public record Route(String method, String pattern, Optional<AdminScope> scope, Handler handler) {

    /** Serves a request; may block (it runs on a virtual thread). */
    @FunctionalInterface
    public interface Handler {
        AdminResponse handle(AdminRequest request);
    }

    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(handler, "handler");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
    }

    /** Whether this route changes state: such a request runs in one transaction with its audit entry. */
    public boolean isChange() {
        return !method.equals("GET") && !method.equals("HEAD");
    }
}
