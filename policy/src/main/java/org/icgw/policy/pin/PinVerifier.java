package org.icgw.policy.pin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.icgw.policy.model.Inmate;

/**
 * Checks an entered PIN against an inmate's stored hash, remembering PINs already proven so that
 * an inmate's later calls skip the slow hash. The memory is keyed by the stored hash, so a PIN
 * reset forgets it; it holds only keyed digests, never PINs.
 */
public final class PinVerifier {
    private static final int MAX_REMEMBERED = 200_000;

    private final PinHasher hasher;
    private final Map<String, String> proven = new ConcurrentHashMap<>();

    public PinVerifier(PinHasher hasher) {
        this.hasher = hasher;
    }

    public PinHasher hasher() {
        return hasher;
    }

    /** The keyed index of a PIN within a facility (see {@link PinHasher#index}). */
    public String index(String facilityId, String pin) {
        return hasher.index(facilityId, pin);
    }

    /** Whether {@code pin} is this inmate's PIN. */
    public boolean matches(Inmate inmate, String pin) {
        if (!PinHasher.wellFormed(pin)) {
            return false;
        }
        String digest = hasher.index(inmate.facilityId(), pin);
        if (digest.equals(proven.get(inmate.pinHash()))) {
            return true;
        }
        if (!hasher.verify(pin, inmate.pinHash())) {
            return false;
        }
        if (proven.size() >= MAX_REMEMBERED) {
            proven.clear();
        }
        proven.put(inmate.pinHash(), digest);
        return true;
    }
}
