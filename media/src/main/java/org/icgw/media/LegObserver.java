package org.icgw.media;

/**
 * Observes one leg's incoming media on the session's event loop: decoded audio and RFC 4733
 * telephone-event payloads. An observer sees the packets but cannot change what is relayed.
 */
interface LegObserver {
    /** Observes nothing. */
    LegObserver NONE = new LegObserver() {
        @Override
        public boolean wantsAudio() {
            return false;
        }

        @Override
        public void audio(short[] pcm, int len, long samplePosition) {
        }

        @Override
        public void telephoneEvent(long rtpTimestamp, byte[] payload, int len) {
        }
    };

    /** Whether {@link #audio} should be called (decoding is skipped otherwise). */
    boolean wantsAudio();

    /**
     * Decoded 8 kHz samples of one packet, {@code pcm[0..len)}, placed at {@code samplePosition}
     * on the session clock. The array is reused after the call returns.
     */
    void audio(short[] pcm, int len, long samplePosition);

    /** The payload of one telephone-event packet, {@code payload[0..len)}, reused after return. */
    void telephoneEvent(long rtpTimestamp, byte[] payload, int len);
}
