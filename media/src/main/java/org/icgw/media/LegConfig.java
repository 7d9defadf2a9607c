package org.icgw.media;

/**
 * Per-leg media settings.
 *
 * @param learnFromAnyAddress accept the first RTP packet from any address and send to it (for a
 *                            peer behind NAT whose SDP names an address it does not send from);
 *                            when false, only packets from the SDP's IP address are accepted
 * @param detectInbandDtmf run the in-band DTMF detector on this leg's audio
 * @param detectDialTone run the dial-tone detector on this leg's audio
 */
public record LegConfig(boolean learnFromAnyAddress, boolean detectInbandDtmf, boolean detectDialTone) {
    /** The inmate's leg: strict addresses, in-band DTMF, no dial-tone detection. */
    public static LegConfig inmateDefaults() {
        return new LegConfig(false, true, false);
    }

    /** The callee's leg: strict addresses, in-band DTMF and dial-tone detection. */
    public static LegConfig calleeDefaults() {
        return new LegConfig(false, true, true);
    }
}
