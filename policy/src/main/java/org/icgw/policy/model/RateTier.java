package org.icgw.policy.model;

/**
 * FCC size tiers of a facility (average daily population), which set the per-minute rate cap.
 * Jails: large 1,000+, medium 350-999, small 100-349, very small 50-99, extremely small under 50
 * (the 2024 order folds extremely small into very small).
 */
public enum RateTier {
    PRISON,
    LARGE_JAIL,
    MEDIUM_JAIL,
    SMALL_JAIL,
    VERY_SMALL_JAIL,
    EXTREMELY_SMALL_JAIL
}
