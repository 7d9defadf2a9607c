package org.icgw.policy.model;

/**
 * A facility's per-minute price for one call class.
 *
 * @param centsPerMinute   price of a minute in cents
 * @param incrementSeconds billing increment; partial increments are rounded up (default 60)
 */
public record Rate(String facilityId, CallClass callClass, int centsPerMinute, int incrementSeconds) {
    public static final int DEFAULT_INCREMENT_SECONDS = 60;

    /** The charge for one increment, rounded up to a whole cent. */
    public long centsPerIncrement() {
        return Math.ceilDiv((long) centsPerMinute * incrementSeconds, 60L);
    }

    /** The charge for {@code seconds} of talk: whole increments, the last partial one rounded up. */
    public long chargeFor(long seconds) {
        return incrementsFor(seconds) * centsPerIncrement();
    }

    /** Increments that {@code seconds} of talk use, the last partial one counted whole. */
    public long incrementsFor(long seconds) {
        return Math.ceilDiv(Math.max(0, seconds), incrementSeconds);
    }
}
