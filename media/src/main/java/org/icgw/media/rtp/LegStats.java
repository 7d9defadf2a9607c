package org.icgw.media.rtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counters of one call leg, written by the session's event loop and readable from any thread
 * (the gateway's metrics): packets in and out, drops by {@link DropReason}, loss from sequence
 * numbers (RFC 3550 appendix A.1) and interarrival jitter (RFC 3550 appendix A.8).
 *
 * <p>The {@code on*} methods belong to the owning event loop only. Readers see each counter
 * atomically (opaque access) but not a consistent snapshot across counters.
 */
public final class LegStats {
    /** RFC 3550 appendix A.1. */
    static final int MAX_DROPOUT = 3000;
    /** RFC 3550 appendix A.1. */
    static final int MAX_MISORDER = 100;
    /** RFC 3550 appendix A.1: RTP_SEQ_MOD. */
    static final int SEQ_MOD = 1 << 16;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private static final int PACKETS_IN = 0;
    private static final int PACKETS_OUT = 1;
    private static final int RTCP_IN = 2;
    private static final int RTCP_OUT = 3;
    private static final int LOST = 4;
    private static final int EXPECTED = 5;
    private static final int JITTER = 6;
    private static final int SEND_FAILED = 7;
    private static final int DROP_BASE = 8;

    private final long[] counters = new long[DROP_BASE + DropReason.values().length];
    private final long nanosPerUnit;

    // RFC 3550 A.1 per-source state; owner thread only.
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private int badSeq;
    private long cycles;
    private long received;
    private long lostBefore;
    private long expectedBefore;
    // RFC 3550 A.8 state, jitter scaled by 16 as in the appendix's integer form.
    private boolean hasTransit;
    private int transit;
    private long jitter16;

    /** Statistics for a stream with the given RTP clock rate (8000 for G.711). */
    public LegStats(int clockRate) {
        if (clockRate <= 0 || 1_000_000_000 % clockRate != 0) {
            throw new IllegalArgumentException("clock rate must divide 1e9: " + clockRate);
        }
        this.nanosPerUnit = 1_000_000_000L / clockRate;
    }

    private long get(int i) {
        return (long) LONGS.getOpaque(counters, i);
    }

    private void add(int i, long delta) {
        LONGS.setOpaque(counters, i, counters[i] + delta);
    }

    private void set(int i, long value) {
        LONGS.setOpaque(counters, i, value);
    }

    /**
     * Records an accepted RTP packet: sequence accounting per RFC 3550 A.1 and, for audio
     * packets, the jitter estimate per A.8.
     *
     * @param sequenceNumber the packet's 16-bit sequence number
     * @param rtpTimestamp the packet's timestamp
     * @param arrivalNanos arrival time on a monotonic clock
     * @param audio false for packets whose timestamps do not advance with the media clock
     *              (telephone events), which are left out of the jitter estimate
     */
    public void onReceived(int sequenceNumber, long rtpTimestamp, long arrivalNanos, boolean audio) {
        add(PACKETS_IN, 1);
        updateSequence(sequenceNumber & 0xFFFF);
        if (audio) {
            updateJitter(rtpTimestamp, arrivalNanos);
        }
    }

    private void updateSequence(int seq) {
        if (!started) {
            initSequence(seq);
            started = true;
        } else {
            int udelta = (seq - maxSeq) & 0xFFFF;
            if (udelta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                maxSeq = seq;
            } else if (udelta <= SEQ_MOD - MAX_MISORDER) {
                // A very large jump: accept it as a restart only if the next packet follows it.
                if (seq == badSeq) {
                    closeSequenceRun();
                    initSequence(seq);
                } else {
                    badSeq = (seq + 1) & 0xFFFF;
                    return;
                }
            }
        }
        received++;
        publishLoss();
    }

    private void initSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
    }

    private void closeSequenceRun() {
        if (started) {
            long expected = cycles + maxSeq - baseSeq + 1;
            expectedBefore += expected;
            lostBefore += Math.max(0, expected - received);
        }
    }

    private void publishLoss() {
        long expected = cycles + maxSeq - baseSeq + 1;
        set(EXPECTED, expectedBefore + expected);
        set(LOST, lostBefore + Math.max(0, expected - received));
    }

    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        int arrival = (int) (arrivalNanos / nanosPerUnit);
        int t = arrival - (int) rtpTimestamp;
        if (hasTransit) {
            int d = Math.abs(t - transit);
            jitter16 += d - ((jitter16 + 8) >> 4);
            set(JITTER, jitter16 >> 4);
        }
        transit = t;
        hasTransit = true;
    }

    /**
     * A new stream (new SSRC) replaces the old one: losses counted so far are kept, sequence
     * and jitter tracking start again.
     */
    public void onStreamRestart() {
        closeSequenceRun();
        started = false;
        hasTransit = false;
        jitter16 = 0;
    }

    /** Records a packet sent to this leg. */
    public void onSent() {
        add(PACKETS_OUT, 1);
    }

    /** Records a packet for this leg that the socket would not take (buffer full, network error). */
    public void onSendFailed() {
        add(SEND_FAILED, 1);
    }

    /** Records a dropped packet. */
    public void onDropped(DropReason reason) {
        add(DROP_BASE + reason.ordinal(), 1);
    }

    /** Records an RTCP packet accepted from this leg. */
    public void onRtcpReceived() {
        add(RTCP_IN, 1);
    }

    /** Records an RTCP packet sent to this leg. */
    public void onRtcpSent() {
        add(RTCP_OUT, 1);
    }

    /** RTP packets accepted from this leg. */
    public long packetsIn() {
        return get(PACKETS_IN);
    }

    /** RTP packets sent to this leg (relayed, transcoded or generated). */
    public long packetsOut() {
        return get(PACKETS_OUT);
    }

    /** Packets for this leg that the socket would not take: counted and dropped, never queued. */
    public long sendFailures() {
        return get(SEND_FAILED);
    }

    /** RTCP packets accepted from this leg. */
    public long rtcpIn() {
        return get(RTCP_IN);
    }

    /** RTCP packets sent to this leg. */
    public long rtcpOut() {
        return get(RTCP_OUT);
    }

    /** Packets dropped for {@code reason} (RTP and RTCP). */
    public long dropped(DropReason reason) {
        return get(DROP_BASE + reason.ordinal());
    }

    /** Packets dropped for any reason. */
    public long droppedTotal() {
        long sum = 0;
        for (DropReason r : DropReason.values()) {
            sum += dropped(r);
        }
        return sum;
    }

    /** Cumulative packets lost (RFC 3550 A.3: expected minus received, never negative). */
    public long packetsLost() {
        return get(LOST);
    }

    /** Packets expected from the extended highest sequence number (RFC 3550 A.3). */
    public long packetsExpected() {
        return get(EXPECTED);
    }

    /** Interarrival jitter in RTP timestamp units (RFC 3550 A.8). */
    public long jitter() {
        return get(JITTER);
    }
}
