package org.icgw.gateway.call;

import org.icgw.media.Leg;

/**
 * What reaches a call from outside its own thread: the SIP legs, the media session and staff.
 * Each call has one owner that takes these from its mailbox in order (style.md point 4).
 */
public sealed interface CallEvent {

    /** How a digit arrived. */
    enum DigitMethod {
        RFC4733,
        SIP_INFO,
        INBAND;

        /** The label of {@code icgw_dtmf_digits_total{method}}. */
        public String label() {
            return switch (this) {
                case RFC4733 -> "rfc4733";
                case SIP_INFO -> "sip_info";
                case INBAND -> "inband";
            };
        }
    }

    /** A keypad digit from a leg. */
    record Digit(Leg leg, char digit, DigitMethod method) implements CallEvent {
    }

    /**
     * A three-way-call signal. {@code signal} is one of {@code rfc4733_flash}, {@code info_flash},
     * {@code hold_reinvite}, {@code refer}, {@code provisional_181}, {@code redirect_3xx},
     * {@code dial_tone}, {@code callee_dtmf}.
     */
    record ThreeWaySignal(Leg leg, String signal) implements CallEvent {
    }

    /** The inmate hung up (BYE), or gave up before the answer (CANCEL). */
    record InmateHangup() implements CallEvent {
    }

    /** The callee hung up (BYE from the trunk). */
    record CalleeHangup() implements CallEvent {
    }

    /** The trunk sent a provisional response (180/183): the callee's phone rings. */
    record TrunkRinging(int status) implements CallEvent {
    }

    /** The trunk answered (200 to our INVITE, ACK sent) with the callee's media. */
    record TrunkAnswered(MediaDescription remote) implements CallEvent {
    }

    /**
     * The trunk call failed: {@code status} is 486 for busy, or the last status once every trunk
     * failed (5xx/6xx, 408 for a timeout).
     */
    record TrunkFailed(int status) implements CallEvent {
    }

    /** A prompt or frame source playing to {@code leg} came to its end. */
    record PromptFinished(Leg leg) implements CallEvent {
    }

    /** No RTP from {@code leg} for the configured time. */
    record MediaTimeout(Leg leg) implements CallEvent {
    }

    /** An investigator cut the call off through the admin API. */
    record InvestigatorCutoff(String by) implements CallEvent {
    }

    /** The gateway is shutting down and the drain time is over. */
    record Shutdown() implements CallEvent {
    }
}
