package org.icgw.media;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link MediaSession} tells call control. Every event names the leg it concerns; the
 * time {@code at} is wall-clock time on the gateway when the media plane recognised the event.
 */
public sealed interface MediaEvent {
    /** The leg this event concerns. */
    Leg leg();

    /** A DTMF digit ({@code 0-9 * # A-D}) received on {@code leg}. */
    record DtmfDetected(Leg leg, char digit, DtmfMethod method, Instant at) implements MediaEvent {
        /** Validates the fields. */
        public DtmfDetected {
            Objects.requireNonNull(leg, "leg");
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(at, "at");
            if ("0123456789*#ABCD".indexOf(digit) < 0) {
                throw new IllegalArgumentException("not a DTMF digit: " + digit);
            }
        }
    }

    /** A hook flash (RFC 4733 event 16) received on {@code leg}. */
    record FlashDetected(Leg leg, Instant at) implements MediaEvent {
        /** Validates the fields. */
        public FlashDetected {
            Objects.requireNonNull(leg, "leg");
            Objects.requireNonNull(at, "at");
        }
    }

    /** Dial tone (350 + 440 Hz) heard in the audio of {@code leg}. */
    record DialToneDetected(Leg leg, Instant at) implements MediaEvent {
        /** Validates the fields. */
        public DialToneDetected {
            Objects.requireNonNull(leg, "leg");
            Objects.requireNonNull(at, "at");
        }
    }

    /** No RTP from {@code leg} for {@code silentFor}; raised once per silent period. */
    record MediaTimeout(Leg leg, Duration silentFor) implements MediaEvent {
        /** Validates the fields. */
        public MediaTimeout {
            Objects.requireNonNull(leg, "leg");
            Objects.requireNonNull(silentFor, "silentFor");
        }
    }

    /** A prompt or frame source played to {@code leg} reached its end (not sent on stopPlay). */
    record PromptFinished(Leg leg) implements MediaEvent {
        /** Validates the fields. */
        public PromptFinished {
            Objects.requireNonNull(leg, "leg");
        }
    }
}
