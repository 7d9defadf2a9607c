package org.icgw.media.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TelephoneEventDecoderTest {
    record Event(int event, long timestamp, int duration) {
    }

    private final List<Event> events = new ArrayList<>();
    private final TelephoneEventDecoder decoder =
            new TelephoneEventDecoder((e, ts, d) -> events.add(new Event(e, ts, d)));

    /** RFC 4733 section 2.3 payload: event, E|R|volume, 16-bit duration. */
    static byte[] payload(int event, boolean end, int volume, int duration) {
        return new byte[] {(byte) event, (byte) ((end ? 0x80 : 0) | (volume & 0x3F)),
            (byte) (duration >> 8), (byte) duration};
    }

    private void send(long ts, int event, boolean end, int duration) {
        byte[] p = payload(event, end, 10, duration);
        decoder.decode(ts, p, 0, p.length);
    }

    @Test
    void rfc4733Section5DigitNineReportedOnceWithFinalDuration() {
        // RFC 4733 section 5: digit 9 at 50 ms packetisation, timestamp 400, durations growing by
        // 400 each packet, then the final packet (E set) sent three times.
        send(400, 9, false, 400);
        send(400, 9, false, 800);
        send(400, 9, false, 1200);
        send(400, 9, true, 1600);
        send(400, 9, true, 1600);
        send(400, 9, true, 1600);
        assertThat(events).containsExactly(new Event(9, 400, 1600));
        assertThat(decoder.packets()).isEqualTo(6);
        assertThat(decoder.events()).isEqualTo(1);
        assertThat(decoder.duplicates()).isEqualTo(2);
        assertThat(decoder.pending()).isFalse();
    }

    @Test
    void nothingReportedBeforeTheEnd() {
        send(1000, 5, false, 160);
        send(1000, 5, false, 320);
        assertThat(events).isEmpty();
        assertThat(decoder.pending()).isTrue();
    }

    @Test
    void sameDigitTwiceIsTwoEventsByTimestamp() {
        for (long ts : new long[] {8000, 9600}) {
            send(ts, 1, false, 160);
            send(ts, 1, true, 800);
            send(ts, 1, true, 800);
            send(ts, 1, true, 800);
        }
        assertThat(events).containsExactly(new Event(1, 8000, 800), new Event(1, 9600, 800));
    }

    @Test
    void allKeysAndFlashReported() {
        for (int e = 0; e <= 16; e++) {
            long ts = 1000L * (e + 1);
            send(ts, e, true, 640);
        }
        assertThat(events).extracting(Event::event)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        StringBuilder keys = new StringBuilder();
        events.forEach(ev -> keys.append(Dtmf.eventToChar(ev.event())));
        assertThat(keys).hasToString("0123456789*#ABCD!");
    }

    @Test
    void lostEndPacketsReportedWhenNextEventStarts() {
        send(2000, 3, false, 160);
        send(2000, 3, false, 480);
        send(4000, 4, false, 160);
        assertThat(events).containsExactly(new Event(3, 2000, 480));
        assertThat(decoder.endsLost()).isEqualTo(1);
        send(4000, 4, true, 640);
        assertThat(events).containsExactly(new Event(3, 2000, 480), new Event(4, 4000, 640));
    }

    @Test
    void flushReportsPendingEventOnce() {
        send(2000, 7, false, 320);
        decoder.flush();
        decoder.flush();
        send(2000, 7, true, 400);
        assertThat(events).containsExactly(new Event(7, 2000, 320));
        assertThat(decoder.duplicates()).isEqualTo(1);
    }

    @Test
    void endWithoutStartIsStillOneEvent() {
        send(3000, 11, true, 800);
        send(3000, 11, true, 800);
        assertThat(events).containsExactly(new Event(11, 3000, 800));
    }

    @Test
    void latePacketOfPreviousEventIgnored() {
        send(5000, 2, true, 800);
        send(6000, 8, false, 160);
        send(5000, 2, false, 640);
        send(6000, 8, true, 480);
        assertThat(events).containsExactly(new Event(2, 5000, 800), new Event(8, 6000, 480));
        assertThat(decoder.late()).isEqualTo(1);
    }

    @Test
    void timestampWrapIsNotLate() {
        send(0xFFFF_FF00L, 6, true, 160);
        send(0x0000_0100L, 6, true, 160);
        assertThat(events).containsExactly(new Event(6, 0xFFFF_FF00L, 160),
                new Event(6, 0x100, 160));
        assertThat(decoder.late()).isZero();
    }

    @Test
    void longEventSegmentsSummed() {
        // RFC 4733 section 2.5.1.3: a segment ends at duration 0xFFFF without E; the next segment
        // starts at the previous timestamp plus that duration.
        send(10_000, 0, false, 0x8000);
        send(10_000, 0, false, 0xFFFF);
        send(10_000 + 0xFFFF, 0, false, 800);
        send(10_000 + 0xFFFF, 0, true, 1600);
        assertThat(events).containsExactly(new Event(0, 10_000, 0xFFFF + 1600));
    }

    @Test
    void malformedPayloadsCountedNotThrown() {
        decoder.decode(100, new byte[3], 0, 3);
        decoder.decode(100, new byte[0], 0, 0);
        decoder.decode(100, null, 0, 4);
        decoder.decode(100, new byte[4], 2, 4);
        assertThat(decoder.malformed()).isEqualTo(4);
        assertThat(events).isEmpty();
    }

    @Test
    void payloadAtOffsetAndVolumeIgnored() {
        byte[] buf = new byte[16];
        System.arraycopy(payload(10, true, 63, 1234), 0, buf, 12, 4);
        decoder.decode(77, buf, 12, 4);
        assertThat(events).containsExactly(new Event(10, 77, 1234));
    }

    @Test
    void charMapping() {
        assertThat(Dtmf.eventToChar(0)).isEqualTo('0');
        assertThat(Dtmf.eventToChar(9)).isEqualTo('9');
        assertThat(Dtmf.eventToChar(10)).isEqualTo('*');
        assertThat(Dtmf.eventToChar(11)).isEqualTo('#');
        assertThat(Dtmf.eventToChar(12)).isEqualTo('A');
        assertThat(Dtmf.eventToChar(15)).isEqualTo('D');
        assertThat(Dtmf.eventToChar(Dtmf.FLASH_EVENT)).isEqualTo('!');
        assertThat(Dtmf.eventToChar(17)).isEqualTo(Dtmf.NONE);
        assertThat(Dtmf.eventToChar(-1)).isEqualTo(Dtmf.NONE);
        for (int e = 0; e <= 16; e++) {
            assertThat(Dtmf.charToEvent(Dtmf.eventToChar(e))).isEqualTo(e);
        }
        assertThat(Dtmf.charToEvent('b')).isEqualTo(13);
        assertThat(Dtmf.charToEvent('x')).isEqualTo(-1);
        assertThat(Dtmf.isKey(15)).isTrue();
        assertThat(Dtmf.isKey(16)).isFalse();
    }
}
