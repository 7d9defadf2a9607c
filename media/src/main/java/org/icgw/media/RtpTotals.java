package org.icgw.media;

/**
 * RTP counts of the whole media engine since it started, over every session that has been
 * opened on it, ended or not (for the gateway's metrics).
 *
 * @param packetsIn   RTP packets accepted from the legs
 * @param packetsOut  RTP packets sent to the legs (relayed, transcoded or generated)
 * @param packetsLost packets lost on the way in (RFC 3550 appendix A.3), summed over legs
 */
public record RtpTotals(long packetsIn, long packetsOut, long packetsLost) {
}
