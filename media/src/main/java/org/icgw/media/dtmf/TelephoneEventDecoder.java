package org.icgw.media.dtmf;

import java.util.Objects;

/**
 * Decodes RFC 4733 telephone-event payloads of one RTP stream into events reported once each.
 *
 * <p>Payload (RFC 4733 section 2.3): event (8 bits), E bit, R bit, volume (6 bits), duration
 * (16 bits, timestamp units). All packets of one event carry the same RTP timestamp, the event's
 * start (section 2.5.1.1); a new timestamp is a new event. The sender repeats the final packet,
 * the one with E set, three times (section 2.5.1.4); those copies count once.
 *
 * <p>An event is reported <em>at its end</em>, with its final duration: when its first E-bit
 * packet arrives; or, when every end packet was lost, as soon as a packet with a newer timestamp
 * arrives or {@link #flush()} is called (the caller's no-packet timer). Packets older than the
 * current event are late and ignored. A long event split into segments (section 2.5.1.3: a new
 * segment's timestamp is the previous one plus its duration, same event code, no E bit before)
 * is reported once with the summed duration.
 *
 * <p>One instance per RTP stream, used by one thread; nothing allocates per packet. Malformed
 * payloads (fewer than 4 bytes) are counted and dropped, never thrown.
 */
public final class TelephoneEventDecoder {
    private static final long TS_MASK = 0xFFFF_FFFFL;

    private final TelephoneEventListener listener;

    private boolean active;
    private boolean ended;
    private int event;
    private long timestamp;
    private long segmentTimestamp;
    private int segmentDuration;
    private int priorSegments;

    private long packets;
    private long events;
    private long malformed;
    private long duplicates;
    private long late;
    private long endsLost;

    /** Creates a decoder that reports every event to {@code listener}. */
    public TelephoneEventDecoder(TelephoneEventListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Decodes one telephone-event payload.
     *
     * @param rtpTimestamp the packet's RTP timestamp (32-bit, unsigned)
     * @param payload buffer holding the payload
     * @param off offset of the payload in {@code payload}
     * @param len payload length; only the first 4-byte event block is read (redundant blocks
     *     travel in RFC 2198 packets, which the RTP layer unwraps)
     */
    public void decode(long rtpTimestamp, byte[] payload, int off, int len) {
        packets++;
        if (payload == null || len < 4 || off < 0 || off + 4 > payload.length) {
            malformed++;
            return;
        }
        int code = payload[off] & 0xFF;
        boolean end = (payload[off + 1] & 0x80) != 0;
        int duration = ((payload[off + 2] & 0xFF) << 8) | (payload[off + 3] & 0xFF);
        long ts = rtpTimestamp & TS_MASK;

        if (active) {
            int age = (int) (ts - segmentTimestamp);
            if (age == 0) {
                update(duration, end);
                return;
            }
            if (age < 0) {
                late++;
                return;
            }
            if (!ended && code == event && Integer.toUnsignedLong(age) == segmentDuration) {
                priorSegments += segmentDuration;
                segmentTimestamp = ts;
                segmentDuration = 0;
                update(duration, end);
                return;
            }
            if (!ended) {
                endsLost++;
                report();
            }
        }
        active = true;
        ended = false;
        event = code;
        timestamp = ts;
        segmentTimestamp = ts;
        segmentDuration = 0;
        priorSegments = 0;
        update(duration, end);
    }

    /** Reports the current event now if its end was not seen (all end packets lost). */
    public void flush() {
        if (active && !ended) {
            endsLost++;
            report();
        }
    }

    /** True while an event has started and not yet been reported. */
    public boolean pending() {
        return active && !ended;
    }

    private void update(int duration, boolean end) {
        if (ended) {
            duplicates++;
            return;
        }
        if (duration > segmentDuration) {
            segmentDuration = duration;
        }
        if (end) {
            report();
        }
    }

    private void report() {
        ended = true;
        events++;
        listener.onEvent(event, timestamp, priorSegments + segmentDuration);
    }

    /** Payloads given to {@link #decode}. */
    public long packets() {
        return packets;
    }

    /** Events reported. */
    public long events() {
        return events;
    }

    /** Payloads too short to hold an event block. */
    public long malformed() {
        return malformed;
    }

    /** Packets of an event already reported, chiefly the retransmitted end packets. */
    public long duplicates() {
        return duplicates;
    }

    /** Packets older than the current event, ignored. */
    public long late() {
        return late;
    }

    /** Events reported without any end packet (a newer event started, or {@link #flush()}). */
    public long endsLost() {
        return endsLost;
    }
}
