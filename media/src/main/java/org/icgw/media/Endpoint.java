package org.icgw.media;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import org.icgw.media.announce.FrameSource;
import org.icgw.media.rtp.LegStats;

/**
 * One leg of a session: its sockets, what its SDP said, what was learned from its packets, the
 * stream sent to it and what plays to it. Owned by the session's event loop, apart from the
 * immutable port and the thread-safe {@link LegStats}.
 */
final class Endpoint {
    /** Clock rate of G.711 and of RFC 4733 events negotiated with it. */
    static final int CLOCK_RATE = 8000;
    /** Largest payload decoded (a G.711 packet of 1500 octets holds fewer samples). */
    static final int MAX_SAMPLES = 2048;

    final Leg leg;
    final LegConfig config;
    final LegStats stats = new LegStats(CLOCK_RATE);
    final OutStream out;
    /** Announcement samples (scaled) not yet mixed into what this leg hears: 160 ms at most. */
    final SampleFifo mix = new SampleFifo(8 * OutStream.FRAME_SAMPLES);
    final short[] pcm = new short[MAX_SAMPLES];
    final byte[] eventPayload = new byte[64];

    int rtpPort = -1;
    Channel rtp;
    Channel rtcp;

    // From the SDP (setRemote).
    InetSocketAddress sdpRtp;
    int payloadType = -1;
    int telephoneEventPt = -1;
    long remoteSetNanos;

    // Learned from packets (RFC 4961 symmetric RTP).
    InetSocketAddress latchedRtp;
    InetSocketAddress latchedRtcp;
    boolean ssrcLocked;
    long ssrc;
    long lastRxNanos;
    boolean timeoutRaised;

    // Recording position of the last packet (session clock, samples).
    boolean hasPosition;
    long lastInTs;
    long lastPosition;

    /** When a packet from the other leg was last relayed to this one. */
    long lastRelayNanos;

    FrameSource player;
    LegObserver observer = LegObserver.NONE;

    Endpoint(Leg leg, LegConfig config, OutStream out) {
        this.leg = leg;
        this.config = config;
        this.out = out;
    }

    boolean hasRemote() {
        return sdpRtp != null;
    }

    /** Whether an RTP packet from {@code src} belongs to this leg (before any latch, by SDP IP). */
    boolean acceptsRtpSource(InetSocketAddress src) {
        if (sdpRtp == null) {
            return false;
        }
        if (latchedRtp != null) {
            return latchedRtp.equals(src);
        }
        return config.learnFromAnyAddress() || src.getAddress().equals(sdpRtp.getAddress());
    }

    /**
     * Whether an RTCP packet from {@code src} belongs to this leg before its RTCP address is
     * latched: from the port above the SDP's or the latched RTP port (RFC 3550 section 11); when
     * learning from any address (NAT), from the latched RTP source's IP on any port.
     */
    boolean acceptsRtcpSource(InetSocketAddress src) {
        if (sdpRtp == null) {
            return false;
        }
        if (latchedRtcp != null) {
            return latchedRtcp.equals(src);
        }
        if (config.learnFromAnyAddress()) {
            return latchedRtp == null || latchedRtp.getAddress().equals(src.getAddress());
        }
        return isPortAbove(sdpRtp, src) || latchedRtp != null && isPortAbove(latchedRtp, src);
    }

    private static boolean isPortAbove(InetSocketAddress rtpAddress, InetSocketAddress src) {
        return src.getPort() == rtpAddress.getPort() + 1 && src.getAddress().equals(rtpAddress.getAddress());
    }

    /** Where RTP for this leg goes: the latched source, else the SDP's address; null on hold. */
    InetSocketAddress rtpTarget() {
        if (latchedRtp != null) {
            return latchedRtp;
        }
        return isReachable(sdpRtp) ? sdpRtp : null;
    }

    InetSocketAddress rtcpTarget() {
        if (latchedRtcp != null) {
            return latchedRtcp;
        }
        return isReachable(sdpRtp) ? new InetSocketAddress(sdpRtp.getAddress(), sdpRtp.getPort() + 1) : null;
    }

    private static boolean isReachable(InetSocketAddress a) {
        return a != null && a.getPort() != 0 && !a.getAddress().isAnyLocalAddress();
    }

    /** Forgets everything learned from packets: a new offer/answer named a new remote. */
    void resetLearned() {
        latchedRtp = null;
        latchedRtcp = null;
        ssrcLocked = false;
        hasPosition = false;
        timeoutRaised = false;
    }

    /**
     * Places a packet on the session clock: by its timestamp relative to the previous packet,
     * re-anchored to the wall clock on a new stream or when the two drift apart by over 1 s.
     */
    long samplePosition(long rtpTs, long wallPosition, boolean newStream) {
        long pos;
        if (!hasPosition || newStream) {
            pos = wallPosition;
        } else {
            pos = lastPosition + (int) (rtpTs - lastInTs);
            if (Math.abs(pos - wallPosition) > CLOCK_RATE) {
                pos = wallPosition;
            }
        }
        hasPosition = true;
        lastInTs = rtpTs;
        lastPosition = pos;
        return pos;
    }
}
