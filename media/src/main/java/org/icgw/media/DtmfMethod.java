package org.icgw.media;

/** How a DTMF digit reached the media plane. */
public enum DtmfMethod {
    /** RFC 4733 telephone-event packets. */
    RFC4733,
    /** Tones in the audio, found by the in-band detector. */
    INBAND
}
