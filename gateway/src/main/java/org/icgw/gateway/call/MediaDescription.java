package org.icgw.gateway.call;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One side's audio stream as offer/answer settled it (RFC 3264): where it receives RTP, the G.711
 * payload type chosen, the RFC 4733 payload type if negotiated, and the direction.
 *
 * @param telephoneEventPt the telephone-event payload type, or {@code -1} when not negotiated
 */
public record MediaDescription(InetSocketAddress rtp, int payloadType, int telephoneEventPt, Direction direction) {

    /** SDP direction attributes (RFC 4566 section 6). */
    public enum Direction {
        SENDRECV,
        SENDONLY,
        RECVONLY,
        INACTIVE;

        /** The SDP attribute name ({@code sendrecv} ...). */
        public String attribute() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public MediaDescription {
        Objects.requireNonNull(rtp, "rtp");
        Objects.requireNonNull(direction, "direction");
        if (payloadType != 0 && payloadType != 8) {
            throw new IllegalArgumentException("payload type must be 0 (PCMU) or 8 (PCMA), got " + payloadType);
        }
    }

    /**
     * Whether this description puts the call on hold: {@code sendonly}, {@code inactive} or the
     * RFC 2543 connection address {@code 0.0.0.0} (RFC 3264 section 8.4).
     */
    public boolean holds() {
        return direction == Direction.SENDONLY || direction == Direction.INACTIVE
                || rtp.getAddress() == null || rtp.getAddress().isAnyLocalAddress();
    }
}
