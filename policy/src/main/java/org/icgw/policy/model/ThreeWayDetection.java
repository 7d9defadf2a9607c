package org.icgw.policy.model;

import java.time.Instant;

/**
 * One detected three-way-call attempt.
 *
 * @param signal what triggered it: {@code rfc4733_flash}, {@code info_flash}, {@code hold_reinvite},
 *               {@code refer}, {@code provisional_181}, {@code redirect_3xx}, {@code dial_tone},
 *               {@code callee_dtmf}
 * @param action what the gateway did about it
 */
public record ThreeWayDetection(String signal, Instant at, ThreeWayAction action) {
}
