package org.icgw.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * The configured bearer tokens, kept only as SHA-256 digests, and the check of an
 * {@code Authorization} header against them (RFC 6750 section 2.1).
 *
 * <p>The presented token is hashed and its digest compared with every configured digest by
 * {@link MessageDigest#isEqual} (constant time for equal lengths, and all digests are 32 bytes);
 * the loop never stops early, so the time taken does not say whether, or which, token matched.
 */
final class BearerTokens {

    /** A configured token. */
    record Token(byte[] digest, AdminScope scope, String actor) {
    }

    /** What an {@code Authorization} header amounts to. */
    sealed interface Check {
        /** No {@code Authorization} header: a client that has not tried to authenticate. */
        record Missing() implements Check {
        }

        /** A header that is not {@code Bearer <b64token>}. */
        record Malformed() implements Check {
        }

        /** A well-formed token that is none of the configured ones. */
        record Wrong() implements Check {
        }

        /** A configured token. */
        record Valid(Token token) implements Check {
        }
    }

    private static final String BEARER = "bearer";
    /** RFC 6750 section 2.1: {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    private final List<Token> tokens = new ArrayList<>();
    private final BiPredicate<byte[], byte[]> equal;

    BearerTokens(Map<String, AdminScope> configured) {
        this(configured, MessageDigest::isEqual);
    }

    /** With the digest comparison given (tests count the comparisons). */
    BearerTokens(Map<String, AdminScope> configured, BiPredicate<byte[], byte[]> equal) {
        this.equal = equal;
        for (Map.Entry<String, AdminScope> t : configured.entrySet()) {
            byte[] d = sha256(t.getKey());
            tokens.add(new Token(d, t.getValue(), t.getValue().wireName() + ":" + HexFormat.of().formatHex(d, 0, 4)));
        }
    }

    int size() {
        return tokens.size();
    }

    /** Checks an {@code Authorization} header value, absent when the request had none. */
    Check check(Optional<String> header) {
        if (header.isEmpty()) {
            return new Check.Missing();
        }
        String h = header.get();
        int space = h.indexOf(' ');
        if (space != BEARER.length() || !h.substring(0, space).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return new Check.Malformed();
        }
        String presented = h.substring(space + 1).strip();
        if (!B64TOKEN.matcher(presented).matches()) {
            return new Check.Malformed();
        }
        return find(sha256(presented)).<Check>map(Check.Valid::new).orElseGet(Check.Wrong::new);
    }

    /**
     * The configured token whose digest equals {@code presented}. Every digest is compared, in
     * the same order, whatever matches: no early exit.
     */
    Optional<Token> find(byte[] presented) {
        Token found = null;
        for (Token t : tokens) {
            boolean same = equal.test(t.digest(), presented);
            found = same ? t : found;
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
