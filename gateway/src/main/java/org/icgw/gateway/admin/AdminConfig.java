package org.icgw.gateway.admin;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;

/**
 * Where the admin HTTP server listens and who may use it.
 *
 * @param bindAddress  the address to bind (the sample configuration uses 127.0.0.1)
 * @param port         the TCP port (8080 by default; 0 picks a free one, for tests)
 * @param tokens       bearer token to its scope; a token is at least 16 characters
 * @param maxBodyBytes the largest request body taken; a larger one is answered 413
 */
public record AdminConfig(InetAddress bindAddress, int port, Map<String, AdminScope> tokens, int maxBodyBytes) {

    /** The default HTTP port of the contract. */
    public static final int DEFAULT_PORT = 8080;
    /** Large enough for any provisioning body; small enough that no client can fill the heap. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Shortest token accepted: a guessable token is no authentication. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public AdminConfig {
        Objects.requireNonNull(bindAddress, "admin.bind_address");
        tokens = Map.copyOf(tokens);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("admin.port: must be 0 to 65535, got " + port);
        }
        for (String token : tokens.keySet()) {
            if (token.length() < MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9._~+/=-]+")) {
                throw new IllegalArgumentException("admin.tokens: each token must be at least " + MIN_TOKEN_LENGTH
                        + " characters of A-Z a-z 0-9 - . _ ~ + / = (RFC 6750 section 2.1 b64token)");
            }
        }
        if (maxBodyBytes < 1024) {
            throw new IllegalArgumentException("admin.max_body_bytes: must be at least 1024, got " + maxBodyBytes);
        }
    }

    /** Masks the tokens: only how many of each scope there are. */
    @Override
    public String toString() {
        Map<AdminScope, Long> counts = new java.util.EnumMap<>(AdminScope.class);
        tokens.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        return "AdminConfig[bindAddress=" + bindAddress.getHostAddress() + ", port=" + port + ", tokens=" + counts
                + " (values masked), maxBodyBytes=" + maxBodyBytes + "]";
    }

    /** A configuration with the default body limit. */
    public AdminConfig(InetAddress bindAddress, int port, Map<String, AdminScope> tokens) {
        this(bindAddress, port, tokens, DEFAULT_MAX_BODY_BYTES);
    }
}
