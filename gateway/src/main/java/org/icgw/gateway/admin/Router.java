package org.icgw.gateway.admin;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps (method, path) to a {@link Route}. A literal segment wins over a {@code {param}} segment
 * at the same position, so {@code /cdrs/export.csv} is not taken for a call id.
 */
public final class Router {

    /** The outcome of matching a request. */
    public sealed interface Match {
        /** A route and its path parameters. */
        record Found(Route route, Map<String, String> params) implements Match {
        }

        /** The path exists, but not for this method; {@code allowed} goes in the {@code Allow} header. */
        record WrongMethod(Set<String> allowed) implements Match {
        }

        /** No route has this path. */
        record Missing() implements Match {
        }
    }

    private final List<Route> routes = new ArrayList<>();

    /**
     * Adds a route; the same method and pattern twice, or a {@code {param}} without a shape in
     * {@link PathParameters}, is a programming error.
     */
    public Router add(Route route) {
        for (String seg : split(route.pattern())) {
            if (seg.startsWith("{") && seg.endsWith("}") && !PathParameters.known(seg.substring(1, seg.length() - 1))) {
                throw new IllegalArgumentException("route " + route.pattern() + ": no shape for path parameter " + seg);
            }
        }
        for (Route r : routes) {
            if (r.method().equals(route.method()) && r.pattern().equals(route.pattern())) {
                throw new IllegalArgumentException("duplicate route " + route.method() + " " + route.pattern());
            }
        }
        routes.add(route);
        return this;
    }

    public Router add(String method, String pattern, AdminScope scope, Route.Handler handler) {
        return add(new Route(method, pattern, Optional.of(scope), handler));
    }

    public Router addPublic(String method, String pattern, Route.Handler handler) {
        return add(new Route(method, pattern, Optional.empty(), handler));
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /**
     * Matches a request; {@code rawPath} is the path as sent, percent-encoded, without the query.
     * The parameters come in the order of the pattern.
     *
     * @throws IllegalArgumentException when a segment is not valid percent-encoding
     */
    public Match match(String method, String rawPath) {
        String[] segs = decodedSegments(rawPath);
        Route best = null;
        Map<String, String> bestParams = null;
        int bestLiterals = -1;
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Map<String, String> params = new LinkedHashMap<>();
            int literals = matches(split(r.pattern()), segs, params);
            if (literals < 0) {
                continue;
            }
            allowed.add(r.method());
            if (r.method().equals(method) && literals > bestLiterals) {
                best = r;
                bestParams = params;
                bestLiterals = literals;
            }
        }
        if (best != null) {
            return new Match.Found(best, Collections.unmodifiableMap(bestParams));
        }
        return allowed.isEmpty() ? new Match.Missing() : new Match.WrongMethod(allowed);
    }

    /** Literal segments matched, or -1 when the pattern does not match. */
    private static int matches(String[] pattern, String[] segs, Map<String, String> params) {
        if (pattern.length != segs.length) {
            return -1;
        }
        int literals = 0;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (segs[i].isEmpty()) {
                    return -1;
                }
                params.put(p.substring(1, p.length() - 1), segs[i]);
            } else if (p.equals(segs[i])) {
                literals++;
            } else {
                return -1;
            }
        }
        return literals;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.split("/", -1);
    }

    /** Splits a raw request path and decodes each segment, so an escaped {@code /} stays inside it. */
    private static String[] decodedSegments(String rawPath) {
        String[] segs = split(rawPath);
        for (int i = 0; i < segs.length; i++) {
            // '+' is a literal plus in a path (RFC 3986 section 3.3), not a space as in a form.
            segs[i] = QueryStringDecoder.decodeComponent(segs[i].replace("+", "%2B"));
        }
        return segs;
    }
}
