package org.icgw.gateway.e2e;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.icgw.media.announce.FrameSource;
import org.icgw.media.codec.G711;

/**
 * One RTP stream (RFC 3550) from a {@link SipPeer}'s RTP socket to a gateway media port: PCMU
 * frames of 20 ms and RFC 4733 telephone events, with one SSRC and running sequence numbers and
 * timestamps. Test code; one thread.
 */
public final class RtpSender {
    static final int FRAME = 160;
    private static final long FRAME_NANOS = 20_000_000L;

    private final SipPeer peer;
    private final int port;
    private final int eventPt;
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private int seq = ThreadLocalRandom.current().nextInt(0, 0x10000);
    private long ts = ThreadLocalRandom.current().nextLong(0, 0x1_0000_0000L);
    private boolean started;

    /**
     * @param peer the peer whose RTP socket sends (its SDP names that socket)
     * @param port the gateway's media port from the SDP the gateway sent the peer
     * @param eventPt the telephone-event payload type the gateway's SDP offered
     */
    public RtpSender(SipPeer peer, int port, int eventPt) {
        this.peer = peer;
        this.port = port;
        this.eventPt = eventPt;
    }

    /** Sends one 20 ms PCMU frame of {@value #FRAME} linear samples. */
    public void pcmu(short[] samples) throws IOException {
        byte[] payload = new byte[FRAME];
        for (int i = 0; i < FRAME; i++) {
            payload[i] = G711.linearToUlaw(samples[i]);
        }
        send(G711.PAYLOAD_PCMU, !started, ts, payload);
        ts += FRAME;
    }

    /** Sends {@code frames} frames of {@code source} as PCMU, one every 20 ms. */
    public void pcmu(FrameSource source, int frames) throws IOException {
        short[] frame = new short[FRAME];
        long next = System.nanoTime();
        for (int f = 0; f < frames; f++) {
            Arrays.fill(frame, (short) 0);
            source.nextFrame(frame);
            pcmu(frame);
            next += FRAME_NANOS;
            LockSupport.parkNanos(next - System.nanoTime());
        }
    }

    /**
     * Sends one telephone event (RFC 4733 section 2.5): a first packet with the marker bit, updates
     * every 20 ms with the growing duration, and the end packet three times (section 2.5.1.4), all
     * with the event's start timestamp; volume -10 dBm0.
     */
    public void event(int event, int durationMs) throws IOException {
        int samples = durationMs * 8;
        long start = ts;
        for (int d = FRAME; d < samples; d += FRAME) {
            send(eventPt, d == FRAME, start, eventPayload(event, false, d));
            LockSupport.parkNanos(FRAME_NANOS);
        }
        for (int i = 0; i < 3; i++) {
            send(eventPt, false, start, eventPayload(event, true, samples));
        }
        ts += samples;
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    private static byte[] eventPayload(int event, boolean end, int duration) {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
    }

    private void send(int pt, boolean marker, long timestamp, byte[] payload) throws IOException {
        byte[] p = new byte[12 + payload.length];
        p[0] = (byte) 0x80;
        p[1] = (byte) ((marker ? 0x80 : 0) | pt);
        p[2] = (byte) (seq >> 8);
        p[3] = (byte) seq;
        p[4] = (byte) (timestamp >> 24);
        p[5] = (byte) (timestamp >> 16);
        p[6] = (byte) (timestamp >> 8);
        p[7] = (byte) timestamp;
        p[8] = (byte) (ssrc >> 24);
        p[9] = (byte) (ssrc >> 16);
        p[10] = (byte) (ssrc >> 8);
        p[11] = (byte) ssrc;
        System.arraycopy(payload, 0, p, 12, payload.length);
        peer.sendRtp(p, port);
        seq = (seq + 1) & 0xFFFF;
        started = true;
    }
}
