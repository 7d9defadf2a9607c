package org.icgw.media;

/** The two legs of a media session. */
public enum Leg {
    /** The inmate's terminal: left channel of the recording. */
    A,
    /** The called party, through the trunk: right channel of the recording. */
    B;

    /** The leg on the other side of the bridge. */
    public Leg other() {
        return this == A ? B : A;
    }
}
