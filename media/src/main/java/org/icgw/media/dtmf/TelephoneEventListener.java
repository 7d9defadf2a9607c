package org.icgw.media.dtmf;

/** Receives the telephone events decoded by a {@link TelephoneEventDecoder}. */
@FunctionalInterface
public interface TelephoneEventListener {
    /**
     * One event, reported once.
     *
     * @param event RFC 4733 event code (see {@link Dtmf#eventToChar(int)})
     * @param rtpTimestamp the RTP timestamp shared by the event's packets (its start)
     * @param durationSamples the event's duration in timestamp units (samples at 8 kHz)
     */
    void onEvent(int event, long rtpTimestamp, int durationSamples);
}
