package org.icgw.gateway.sip.registrar;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces: {@code base64url(issuedAtMillis ‖ random ‖ HMAC-SHA256(key, issuedAt ‖ random ‖ realm)[0..16])}.
 * A nonce proves itself ours and tells its own age, so nothing is stored per challenge; the key
 * is random per process, so a restart turns every earlier nonce stale (clients re-authenticate
 * without asking their user, RFC 7616 §3.3 {@code stale}).
 */
final class Nonces {

    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int LENGTH = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;

    /** What a nonce turned out to be. */
    enum Status { FRESH, EXPIRED, NOT_OURS }

    /** A checked nonce: its status and, when ours, when it was issued. */
    record Check(Status status, long issuedAtMillis) {
    }

    private final byte[] key;
    private final byte[] realm;
    private final Duration lifetime;
    private final InstantSource clock;
    private final SecureRandom random;

    Nonces(String realm, Duration lifetime, InstantSource clock, SecureRandom random) {
        this.key = new byte[32];
        random.nextBytes(key);
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
        this.lifetime = lifetime;
        this.clock = clock;
        this.random = random;
    }

    String issue() {
        ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
        buffer.putLong(clock.millis());
        byte[] salt = new byte[RANDOM_BYTES];
        random.nextBytes(salt);
        buffer.put(salt);
        buffer.put(mac(buffer.array(), TIME_BYTES + RANDOM_BYTES));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }

    Check check(String nonce) {
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return new Check(Status.NOT_OURS, 0);
        }
        if (raw.length != LENGTH) {
            return new Check(Status.NOT_OURS, 0);
        }
        byte[] expected = mac(raw, TIME_BYTES + RANDOM_BYTES);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, TIME_BYTES + RANDOM_BYTES, LENGTH))) {
            return new Check(Status.NOT_OURS, 0);
        }
        long issuedAt = ByteBuffer.wrap(raw).getLong();
        long age = clock.millis() - issuedAt;
        boolean fresh = age >= 0 && age <= lifetime.toMillis();
        return new Check(fresh ? Status.FRESH : Status.EXPIRED, issuedAt);
    }

    Duration lifetime() {
        return lifetime;
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(data, 0, length);
            mac.update(realm);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA256", e);
        }
    }
}
