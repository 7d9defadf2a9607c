package org.icgw.media;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link MediaSession}.
 *
 * @param bindAddress local address all four sockets bind to
 * @param legA the inmate's leg
 * @param legB the callee's leg
 * @param mediaTimeout silence after which {@link MediaEvent.MediaTimeout} is raised (contract: 30 s)
 * @param ssrcTakeover how long the locked SSRC must have been silent before a packet with a new
 *                     SSRC from the latched address is taken as a new stream
 */
public record MediaSessionConfig(InetAddress bindAddress, LegConfig legA, LegConfig legB,
                                 Duration mediaTimeout, Duration ssrcTakeover) {
    /** Contract "The inmate's call" 10: no RTP for 30 s ends the call. */
    public static final Duration DEFAULT_MEDIA_TIMEOUT = Duration.ofSeconds(30);
    /** Default silence before an SSRC change is accepted. */
    public static final Duration DEFAULT_SSRC_TAKEOVER = Duration.ofMillis(500);

    /** Validates the fields. */
    public MediaSessionConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(legA, "legA");
        Objects.requireNonNull(legB, "legB");
        Objects.requireNonNull(mediaTimeout, "mediaTimeout");
        Objects.requireNonNull(ssrcTakeover, "ssrcTakeover");
        if (mediaTimeout.isNegative() || mediaTimeout.isZero()) {
            throw new IllegalArgumentException("mediaTimeout must be positive: " + mediaTimeout);
        }
        if (ssrcTakeover.isNegative()) {
            throw new IllegalArgumentException("ssrcTakeover must not be negative: " + ssrcTakeover);
        }
    }

    /** Defaults for a session bound on {@code bindAddress}. */
    public static MediaSessionConfig defaults(InetAddress bindAddress) {
        return new MediaSessionConfig(bindAddress, LegConfig.inmateDefaults(), LegConfig.calleeDefaults(),
                DEFAULT_MEDIA_TIMEOUT, DEFAULT_SSRC_TAKEOVER);
    }

    /** A copy with another media timeout. */
    public MediaSessionConfig withMediaTimeout(Duration timeout) {
        return new MediaSessionConfig(bindAddress, legA, legB, timeout, ssrcTakeover);
    }

    /** A copy with other leg settings. */
    public MediaSessionConfig withLegs(LegConfig a, LegConfig b) {
        return new MediaSessionConfig(bindAddress, a, b, mediaTimeout, ssrcTakeover);
    }

    /** The settings of {@code leg}. */
    public LegConfig leg(Leg leg) {
        return leg == Leg.A ? legA : legB;
    }
}
