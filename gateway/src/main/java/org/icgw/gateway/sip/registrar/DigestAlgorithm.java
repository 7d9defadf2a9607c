package org.icgw.gateway.sip.registrar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** The digest algorithms offered to terminals (RFC 8760 §2.3 names them as in RFC 7616). */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA-256"),
    MD5("MD5", "MD5");

    private final String token;
    private final String jcaName;

    DigestAlgorithm(String token, String jcaName) {
        this.token = token;
        this.jcaName = jcaName;
    }

    /** The value of the {@code algorithm} parameter. */
    public String token() {
        return token;
    }

    /** The algorithm a parameter names; an absent parameter means MD5 (RFC 2617 §3.2.1). */
    public static Optional<DigestAlgorithm> fromToken(String token) {
        if (token == null) {
            return Optional.of(MD5);
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.equals(token.toUpperCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** {@code H(data)} in lower-case hex (RFC 7616 §3.4.1's notation). */
    public String hex(String data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jcaName).digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + jcaName, e);
        }
    }

    /**
     * The {@code response} for {@code qop=auth} (RFC 7616 §3.4.1, RFC 3261 §22.4):
     * {@code H(H(user:realm:password):nonce:nc:cnonce:qop:H(method:uri))}.
     */
    public String response(String username, String realm, String password, String method, String uri,
            String nonce, String nc, String cnonce, String qop) {
        String ha1 = hex(username + ":" + realm + ":" + password);
        String ha2 = hex(method + ":" + uri);
        return hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }
}
