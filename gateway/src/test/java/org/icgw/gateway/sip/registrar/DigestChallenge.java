package org.icgw.gateway.sip.registrar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A WWW-Authenticate challenge read from raw text, and the Authorization answering it, computed
 * here independently of the production code (RFC 7616 §3.4.1 with qop=auth).
 */
public record DigestChallenge(Map<String, String> params) {

    private static final Pattern PARAM = Pattern.compile("(\\w+)\\s*=\\s*(\"([^\"]*)\"|[^,\\s]+)");

    public static DigestChallenge parse(String headerValue) {
        if (!headerValue.startsWith("Digest ")) {
            throw new IllegalArgumentException("not a digest challenge: " + headerValue);
        }
        Map<String, String> params = new LinkedHashMap<>();
        Matcher m = PARAM.matcher(headerValue.substring(7));
        while (m.find()) {
            params.put(m.group(1).toLowerCase(), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return new DigestChallenge(params);
    }

    public String nonce() {
        return params.get("nonce");
    }

    public String algorithm() {
        return params.get("algorithm");
    }

    boolean stale() {
        return "true".equalsIgnoreCase(params.get("stale"));
    }

    /** The Authorization header value for this challenge. */
    public String authorization(String user, String password, String method, String uri, int nc, String cnonce) {
        String realm = params.get("realm");
        String ncHex = String.format("%08x", nc);
        String ha1 = hash(user + ":" + realm + ":" + password);
        String ha2 = hash(method + ":" + uri);
        String response = hash(ha1 + ":" + nonce() + ":" + ncHex + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce() + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm() + ", qop=auth, nc=" + ncHex
                + ", cnonce=\"" + cnonce + "\"";
    }

    private String hash(String text) {
        String jca = switch (algorithm()) {
            case "MD5" -> "MD5";
            case "SHA-256" -> "SHA-256";
            default -> throw new IllegalArgumentException(algorithm());
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
