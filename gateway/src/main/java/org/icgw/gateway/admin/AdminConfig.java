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
 * @param maxHeaderBytes the largest request line plus headers; larger is answered 431
 * @param readTimeout  a request whose headers and body have not all arrived this long after its
 *                     first byte, or a connection idle this long, is closed (slow clients)
 * @param authFailuresPerMinute failed bearer tokens one address may send per minute; past it the
 *                     address gets 429 until the minute has passed
 */
public record AdminConfig(InetAddress bindAddress, int port, Map<String, AdminScope> tokens, int maxBodyBytes,
        int maxHeaderBytes, java.time.Duration readTimeout, int authFailuresPerMinute) {

    /** The default HTTP port of the contract. */
    public static final int DEFAULT_PORT = 8080;
    /** Large enough for any provisioning body; small enough that no client can fill the heap. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    /** Shortest token accepted: a guessable token is no authentication. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** Default header bound: Netty's own default line and header sizes. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;
    /** Default read timeout: a browser or curl sends a request in well under a second. */
    public static final java.time.Duration DEFAULT_READ_TIMEOUT = java.time.Duration.ofSeconds(10);
    /** Default failed tokens per address and minute: an operator's typo, not a guessing run. */
    public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 10;

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
        if (maxHeaderBytes < 1024 || maxHeaderBytes > 1 << 20) {
            throw new IllegalArgumentException("admin.max_header_bytes: must be 1024-1048576, got " + maxHeaderBytes);
        }
        Objects.requireNonNull(readTimeout, "admin.read_timeout");
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("admin.read_timeout: must be positive, got " + readTimeout);
        }
        if (authFailuresPerMinute < 1) {
            throw new IllegalArgumentException("admin.auth_failures_per_minute: must be at least 1, got " + authFailuresPerMinute);
        }
    }

    /** Masks the tokens: only how many of each scope there are. */
    @Override
    public String toString() {
        Map<AdminScope, Long> counts = new java.util.EnumMap<>(AdminScope.class);
        tokens.values().forEach(s -> counts.merge(s, 1L, Long::sum));
        return "AdminConfig[bindAddress=" + bindAddress.getHostAddress() + ", port=" + port + ", tokens=" + counts
                + " (values masked), maxBodyBytes=" + maxBodyBytes + ", maxHeaderBytes=" + maxHeaderBytes
                + ", readTimeout=" + readTimeout + ", authFailuresPerMinute=" + authFailuresPerMinute + "]";
    }

    /** A configuration with the default body limit. */
    public AdminConfig(InetAddress bindAddress, int port, Map<String, AdminScope> tokens) {
        this(bindAddress, port, tokens, DEFAULT_MAX_BODY_BYTES);
    }

    /** A configuration with the default header, timeout and failure limits. */
    public AdminConfig(InetAddress bindAddress, int port, Map<String, AdminScope> tokens, int maxBodyBytes) {
        this(bindAddress, port, tokens, maxBodyBytes, DEFAULT_MAX_HEADER_BYTES, DEFAULT_READ_TIMEOUT,
                DEFAULT_AUTH_FAILURES_PER_MINUTE);
    }
}
