package org.icgw.media.rtp;

/** Why a received RTP or RTCP packet was dropped instead of being relayed or decoded. */
public enum DropReason {
    /** Shorter than a fixed header. */
    SHORT,
    /** Header fields inconsistent with the packet (version, CSRC count, extension, padding). */
    MALFORMED,
    /** From the expected address but carrying an SSRC other than the locked stream's. */
    FOREIGN_SSRC,
    /** From an address other than the one the SDP named or the one latched. */
    FOREIGN_SOURCE_ADDRESS,
    /** A payload type that is neither the leg's audio codec nor its telephone-event type. */
    UNEXPECTED_PAYLOAD_TYPE
}
