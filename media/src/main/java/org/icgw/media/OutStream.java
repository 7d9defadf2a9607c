package org.icgw.media;

/**
 * The RTP stream the gateway sends to one leg: one SSRC for the whole session, with sequence
 * numbers and timestamps that continue across relaying, prompts and mixing.
 *
 * <p>Relayed packets keep the sender's spacing: on entering relay mode (or when the sending leg
 * starts a new stream) offsets are chosen so the next packet follows the last one sent, then
 * applied to every relayed packet, so loss and reordering upstream stay visible downstream.
 * Generated packets advance by one frame. After more than {@link #RESYNC_NANOS} without sending,
 * the timestamp advances by the elapsed time instead and the marker bit is set (RFC 3551
 * section 4.1: first packet after silence). Owned by the session's event loop.
 */
final class OutStream {
    static final int FRAME_SAMPLES = 160;
    static final long RESYNC_NANOS = 1_000_000_000L;
    private static final long NANOS_PER_SAMPLE = 125_000L;

    final long ssrc;
    private boolean started;
    private int lastSeq;
    private long lastTs;
    private long lastSendNanos;
    private boolean relaying;
    private boolean rebaseRequested;
    private int seqOffset;
    private long tsOffset;

    /** Outputs of the last {@link #relay} or {@link #generate}. */
    int seq;
    long ts;
    boolean marker;

    OutStream(long ssrc, int firstSeq, long firstTs) {
        this.ssrc = ssrc & 0xFFFFFFFFL;
        this.lastSeq = (firstSeq - 1) & 0xFFFF;
        this.lastTs = (firstTs - FRAME_SAMPLES) & 0xFFFFFFFFL;
    }

    /** The sending leg started a new stream: the next relayed packet is rebased. */
    void requestRebase() {
        rebaseRequested = true;
    }

    /** Numbers a relayed packet; results in {@link #seq}, {@link #ts}, {@link #marker}. */
    void relay(int inSeq, long inTs, boolean inMarker, long nowNanos) {
        marker = inMarker;
        if (!relaying || rebaseRequested) {
            int nextSeq = (lastSeq + 1) & 0xFFFF;
            long nextTs = nextTimestamp(nowNanos);
            seqOffset = nextSeq - inSeq;
            tsOffset = nextTs - inTs;
            relaying = true;
            rebaseRequested = false;
        }
        seq = (inSeq + seqOffset) & 0xFFFF;
        ts = (inTs + tsOffset) & 0xFFFFFFFFL;
        sent(nowNanos);
    }

    /** Numbers a generated 20 ms frame; results in {@link #seq}, {@link #ts}, {@link #marker}. */
    void generate(long nowNanos) {
        marker = false;
        relaying = false;
        seq = (lastSeq + 1) & 0xFFFF;
        ts = nextTimestamp(nowNanos);
        sent(nowNanos);
    }

    private long nextTimestamp(long nowNanos) {
        if (!started) {
            marker = true;
            return (lastTs + FRAME_SAMPLES) & 0xFFFFFFFFL;
        }
        long elapsed = nowNanos - lastSendNanos;
        if (elapsed <= RESYNC_NANOS) {
            return (lastTs + FRAME_SAMPLES) & 0xFFFFFFFFL;
        }
        marker = true;
        long frames = Math.max(1, (elapsed / NANOS_PER_SAMPLE + FRAME_SAMPLES / 2) / FRAME_SAMPLES);
        return (lastTs + frames * FRAME_SAMPLES) & 0xFFFFFFFFL;
    }

    private void sent(long nowNanos) {
        // Keep the highest sequence number sent, so a reordered relayed packet does not rewind.
        if (!started || ((seq - lastSeq) & 0xFFFF) < 0x8000) {
            lastSeq = seq;
            lastTs = ts;
        }
        started = true;
        lastSendNanos = nowNanos;
    }
}
