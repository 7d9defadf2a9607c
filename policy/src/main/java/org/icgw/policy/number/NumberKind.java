package org.icgw.policy.number;

/**
 * What a dialed number is, as far as calling policy cares.
 *
 * <p>Each kind other than {@link #GEOGRAPHIC} maps to one denial reason of the contract when the
 * facility does not allow it: {@code toll_free}, {@code premium}, {@code international_not_allowed},
 * {@code invalid_number}.
 */
public enum NumberKind {
    /** A valid number in the facility's own country that reaches a subscriber (fixed, mobile, VoIP). */
    GEOGRAPHIC,
    /** A freephone number, domestic or foreign (NANP 8XX, UIFN +800, 0800 abroad). */
    TOLL_FREE,
    /** A pay-per-call number (NANP 900, NANP NXX 976, premium-rate numbers abroad). */
    PREMIUM,
    /** A valid number whose region is outside the facility's country. */
    INTERNATIONAL,
    /** Unparseable, the wrong length, not valid per the numbering plan, or a service code (N11). */
    INVALID
}
