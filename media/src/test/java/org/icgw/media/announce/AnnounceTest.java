package org.icgw.media.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.icgw.media.tone.DialToneDetector;
import org.junit.jupiter.api.Test;

class AnnounceTest {
    @Test
    void promptIsImmutable() {
        short[] s = {1, 2, 3};
        Prompt p = Prompt.of(s);
        s[0] = 99;
        p.samples()[1] = 99;
        assertThat(p.samples()).containsExactly(1, 2, 3);
        assertThat(p.sampleAt(2)).isEqualTo((short) 3);
        assertThat(p.length()).isEqualTo(3);
    }

    @Test
    void concatSilenceAndDuration() {
        Prompt a = Prompt.of(new short[] {1, 2});
        Prompt b = Prompt.of(new short[] {7, 8, 9}, 1, 2);
        Prompt gap = Prompt.silence(1);
        Prompt all = Prompt.concat(a, gap, b, Prompt.EMPTY);
        assertThat(all.samples()).containsExactly(1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 8, 9);
        assertThat(Prompt.silence(1500).durationMillis()).isEqualTo(1500);
        assertThat(Prompt.silence(1500).length()).isEqualTo(12_000);
        assertThat(all).isEqualTo(Prompt.concat(a, gap, b)).hasSameHashCodeAs(Prompt.concat(a, gap, b));
        assertThatThrownBy(() -> Prompt.silence(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void copyToStopsAtEnd() {
        Prompt p = Prompt.of(new short[] {1, 2, 3, 4, 5});
        short[] dst = new short[4];
        assertThat(p.copyTo(3, dst, 1, 3)).isEqualTo(2);
        assertThat(dst).containsExactly(0, 4, 5, 0);
        assertThat(p.copyTo(5, dst, 0, 4)).isZero();
    }

    @Test
    void mixSaturatesAndScales() {
        short[] dst = {100, 30_000, -30_000, 0, 5};
        short[] src = {9, 10, 5_000, -5_000, 400, 9};
        Mixer.mix(dst, 1, src, 1, 3, 1.0f);
        assertThat(dst).containsExactly(100, 30_010, -25_000, -5_000, 5);
        Mixer.mix(dst, 0, src, 2, 3, 10f);
        assertThat(dst).containsExactly(32_767, -19_990, -21_000, -5_000, 5);
        Mixer.scale(dst, 0, 5, 0.5f);
        assertThat(dst).containsExactly(16_384, -9_995, -10_500, -2_500, 3);
        Mixer.scale(dst, 0, 2, 4f);
        assertThat(dst).startsWith((short) 32_767, (short) -32_768);
        assertThat(Mixer.dbToGain(-6.0206)).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void ringbackCadenceTwoOnFourOff() {
        ToneGenerator g = ToneGenerator.ringbackUs();
        short[] frame = new short[FrameSource.FRAME];
        List<Boolean> on = new ArrayList<>();
        int maxPeak = 0;
        for (int i = 0; i < 600; i++) {
            assertThat(g.nextFrame(frame)).isEqualTo(160);
            int peak = 0;
            for (short v : frame) {
                peak = Math.max(peak, Math.abs(v));
            }
            on.add(peak > 0);
            maxPeak = Math.max(maxPeak, peak);
        }
        // two tones at -19 dBm0, amplitude 22750 * 10^(-19/20) = 2547 each, beating to 5094
        assertThat(maxPeak).isBetween(5_000, 5_094);
        // 100 frames (2 s) on, 200 frames (4 s) off, twice.
        for (int i = 0; i < 600; i++) {
            assertThat(on.get(i)).as("frame %d", i).isEqualTo(i % 300 < 100);
        }
    }

    @Test
    void dialToneGeneratorIsDetectedAndRingbackIsNot() {
        int[] hits = new int[1];
        DialToneDetector det = new DialToneDetector((t, s, d) -> hits[0]++);
        short[] frame = new short[FrameSource.FRAME];
        ToneGenerator ring = ToneGenerator.ringbackUs();
        for (int i = 0; i < 600; i++) {
            ring.nextFrame(frame);
            det.process(frame, 0, frame.length);
        }
        assertThat(hits[0]).isZero();
        ToneGenerator dial = ToneGenerator.dialToneUs();
        for (int i = 0; i < 100; i++) {
            dial.nextFrame(frame);
            det.process(frame, 0, frame.length);
        }
        assertThat(hits[0]).isEqualTo(1);
    }

    @Test
    void holdPipsAndBusy() {
        short[] frame = new short[FrameSource.FRAME];
        ToneGenerator hold = ToneGenerator.holdPips();
        int audible = 0;
        for (int i = 0; i < 400; i++) {
            hold.nextFrame(frame);
            if (frame[80] != 0 || frame[81] != 0) {
                audible++;
            }
        }
        assertThat(audible).isEqualTo(20); // 200 ms (10 frames) of every 4 s, over 8 s
        ToneGenerator busy = ToneGenerator.busyUs();
        busy.nextFrame(frame);
        assertThat(frame[50]).isNotZero();
        assertThatThrownBy(() -> new ToneGenerator(440, 0, -10, 100, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void promptPlayerOnceAndLooped() {
        short[] s = new short[200];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) (i + 1);
        }
        Prompt p = Prompt.of(s);
        short[] frame = new short[FrameSource.FRAME];
        PromptPlayer once = PromptPlayer.once(p);
        assertThat(once.nextFrame(frame)).isEqualTo(160);
        assertThat(frame[159]).isEqualTo((short) 160);
        assertThat(once.finished()).isFalse();
        assertThat(once.nextFrame(frame)).isEqualTo(40);
        assertThat(frame[39]).isEqualTo((short) 200);
        assertThat(frame[40]).isZero();
        assertThat(once.finished()).isTrue();
        assertThat(once.nextFrame(frame)).isZero();
        assertThat(once.framesPlayed()).isEqualTo(2);

        PromptPlayer loop = PromptPlayer.looped(p, 5); // 200 samples + 40 silence
        short[] out = new short[480];
        for (int f = 0; f < 3; f++) {
            assertThat(loop.nextFrame(frame)).isEqualTo(160);
            System.arraycopy(frame, 0, out, f * 160, 160);
        }
        assertThat(out[199]).isEqualTo((short) 200);
        assertThat(out[200]).isZero();
        assertThat(out[239]).isZero();
        assertThat(out[240]).isEqualTo((short) 1);
        assertThat(out[479]).isZero();
        assertThatThrownBy(() -> PromptPlayer.looped(Prompt.EMPTY, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
