package org.icgw.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LegStatsTest {
    private static final long MS = 1_000_000L;

    private static LegStats received(int... seqs) {
        LegStats s = new LegStats(8000);
        for (int seq : seqs) {
            s.onReceived(seq, 0, 0, false);
        }
        return s;
    }

    @Test
    void countsGapsAsLoss() {
        LegStats s = received(100, 101, 103, 104, 107);
        assertThat(s.packetsIn()).isEqualTo(5);
        assertThat(s.packetsExpected()).isEqualTo(8);
        assertThat(s.packetsLost()).isEqualTo(3);
    }

    @Test
    void extendsSequenceNumbersAcrossWrapAround() {
        LegStats s = received(65533, 65534, 65535, 1, 2);
        assertThat(s.packetsExpected()).isEqualTo(6);
        assertThat(s.packetsLost()).isEqualTo(1);
    }

    @Test
    void reorderedPacketsAreNotLost() {
        LegStats s = received(10, 12, 11, 13);
        assertThat(s.packetsExpected()).isEqualTo(4);
        assertThat(s.packetsLost()).isZero();
    }

    @Test
    void duplicatesNeverMakeLossNegative() {
        LegStats s = received(10, 11, 11, 12);
        assertThat(s.packetsExpected()).isEqualTo(3);
        assertThat(s.packetsLost()).isZero();
    }

    @Test
    void aLargeJumpIsIgnoredUnlessTheNextPacketFollowsIt() {
        // RFC 3550 A.1: 5000 is a jump beyond MAX_DROPOUT; 11 continues the old run.
        LegStats stray = received(10, 5000, 11, 12);
        assertThat(stray.packetsExpected()).isEqualTo(3);
        assertThat(stray.packetsLost()).isZero();

        // 5000 then 5001: the source restarted; the old run (10, 11) closed with no loss.
        LegStats restart = received(10, 11, 5000, 5001, 5003);
        assertThat(restart.packetsExpected()).isEqualTo(2 + 3);
        assertThat(restart.packetsLost()).isEqualTo(1);
    }

    @Test
    void lossIsKeptAcrossAStreamRestart() {
        LegStats s = received(1, 3);
        s.onStreamRestart();
        s.onReceived(500, 0, 0, false);
        s.onReceived(502, 0, 0, false);
        assertThat(s.packetsExpected()).isEqualTo(6);
        assertThat(s.packetsLost()).isEqualTo(2);
    }

    @Test
    void jitterFollowsRfc3550A8() {
        LegStats s = new LegStats(8000);
        // Transit (arrival - timestamp, in 1/8000 s): 0, 0, 40, 0, 0.
        s.onReceived(1, 0, 0, true);
        s.onReceived(2, 160, 20 * MS, true);
        assertThat(s.jitter()).isZero();
        s.onReceived(3, 320, 45 * MS, true);
        // J16 = 0 + 40 - ((0 + 8) >> 4) = 40; J = 40 >> 4 = 2
        assertThat(s.jitter()).isEqualTo(2);
        s.onReceived(4, 480, 60 * MS, true);
        // J16 = 40 + 40 - ((40 + 8) >> 4) = 77; J = 4
        assertThat(s.jitter()).isEqualTo(4);
        s.onReceived(5, 640, 80 * MS, true);
        // J16 = 77 + 0 - ((77 + 8) >> 4) = 72; J = 4
        assertThat(s.jitter()).isEqualTo(4);
        // Telephone events (audio=false) leave jitter alone.
        s.onReceived(6, 640, 500 * MS, false);
        assertThat(s.jitter()).isEqualTo(4);
    }

    @Test
    void countsDropsByReasonAndPacketsOut() {
        LegStats s = new LegStats(8000);
        s.onDropped(DropReason.SHORT);
        s.onDropped(DropReason.FOREIGN_SSRC);
        s.onDropped(DropReason.FOREIGN_SSRC);
        s.onSent();
        assertThat(s.dropped(DropReason.SHORT)).isEqualTo(1);
        assertThat(s.dropped(DropReason.FOREIGN_SSRC)).isEqualTo(2);
        assertThat(s.dropped(DropReason.MALFORMED)).isZero();
        assertThat(s.droppedTotal()).isEqualTo(3);
        assertThat(s.packetsOut()).isEqualTo(1);
    }
}
