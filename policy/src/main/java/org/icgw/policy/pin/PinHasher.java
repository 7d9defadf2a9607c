package org.icgw.policy.pin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * PINs are stored only as a salted Argon2id hash (RFC 9106), plus a keyed index that finds the
 * inmate from the digits alone.
 *
 * <p>The IVR collects a PIN without an inmate number, so the store must find whose PIN it is.
 * Trying a slow hash per inmate would cost seconds, so each inmate also carries
 * HMAC-SHA-256(pepper, facility + PIN): the pepper is a secret of the gateway's configuration,
 * never in the database, so the index alone does not give PINs away. The Argon2id hash is then
 * checked for the one inmate found.
 *
 * <p>Encoded form: {@code argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt b64>$<hash b64>}.
 */
public final class PinHasher {

    /** Argon2id cost. RFC 9106 section 4's second choice is m=64 MiB, t=3; OWASP's minimum is m=19 MiB, t=2. */
    public record Cost(int memoryKiB, int passes, int lanes) {
        public static final Cost DEFAULT = new Cost(19_456, 2, 1);
        /** Cheap, for tests and benchmarks that provision thousands of inmates. */
        public static final Cost FAST = new Cost(64, 1, 1);
    }

    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Cost cost;
    private final byte[] pepper;
    private final SecureRandom random = new SecureRandom();

    public PinHasher(Cost cost, byte[] pepper) {
        this.cost = Objects.requireNonNull(cost);
        if (pepper.length < 16) {
            throw new IllegalArgumentException("pin pepper must be at least 16 bytes");
        }
        this.pepper = pepper.clone();
    }

    public PinHasher(Cost cost, String pepper) {
        this(cost, pepper.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code pin} is a PIN at all: 4 to 12 decimal digits. */
    public static boolean wellFormed(String pin) {
        return pin != null && pin.matches("[0-9]{4,12}");
    }

    /** A fresh salted hash of {@code pin}. */
    public String hash(String pin) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = argon2(pin, salt, cost);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "argon2id$v=19$m=" + cost.memoryKiB() + ",t=" + cost.passes() + ",p=" + cost.lanes()
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(out);
    }

    /** Whether {@code pin} matches an encoded hash; false for a hash in another form. */
    public boolean verify(String pin, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 5 || !parts[0].equals("argon2id") || !parts[1].equals("v=19")) {
            return false;
        }
        try {
            String[] params = parts[2].split(",");
            Cost c = new Cost(Integer.parseInt(params[0].substring(2)), Integer.parseInt(params[1].substring(2)),
                    Integer.parseInt(params[2].substring(2)));
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] expected = b64.decode(parts[4]);
            return MessageDigest.isEqual(expected, argon2(pin, b64.decode(parts[3]), c));
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    /** The keyed index of a PIN within a facility. */
    public String index(String facilityId, String pin) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            byte[] d = mac.doFinal((facilityId + "\u0000" + pin).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static byte[] argon2(String pin, byte[] salt, Cost c) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt)
                .withMemoryAsKB(c.memoryKiB())
                .withIterations(c.passes())
                .withParallelism(c.lanes())
                .build();
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(params);
        byte[] out = new byte[HASH_BYTES];
        gen.generateBytes(pin.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
