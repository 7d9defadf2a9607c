package org.icgw.media.tone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.icgw.media.Signals;
import org.icgw.media.codec.G711;
import org.junit.jupiter.api.Test;

class DialToneDetectorTest {
    record Hit(Tone tone, long start, long duration) {
    }

    private final List<Hit> hits = new ArrayList<>();
    private final DialToneDetector detector =
            new DialToneDetector((t, s, d) -> hits.add(new Hit(t, s, d)));

    private void run(short[] pcm) {
        detector.process(pcm, 0, pcm.length);
    }

    private static Signals dial(Signals s, double dbm0, double ms) {
        return s.dual(350, dbm0, 440, dbm0, ms);
    }

    @Test
    void preciseDialToneReportedOnceAfterOneSecond() {
        run(dial(new Signals().silence(100), -13, 5000).pcm());
        assertThat(hits).containsExactly(new Hit(Tone.DIAL, 800, 8000));
        assertThat(detector.tones()).isEqualTo(1);
        assertThat(detector.inTone()).isTrue();
    }

    @Test
    void shorterThanOneSecondIgnored() {
        run(dial(new Signals(), -13, 900).silence(500).pcm());
        assertThat(hits).isEmpty();
        assertThat(detector.inTone()).isFalse();
    }

    @Test
    void eachOccurrenceReportedOnce() {
        Signals s = new Signals();
        dial(s, -13, 1500).silence(300);
        dial(s, -13, 2000).silence(300);
        run(s.pcm());
        assertThat(hits).extracting(Hit::start).containsExactly(0L, 14_400L);
    }

    @Test
    void shortDropoutBridged() {
        Signals s = new Signals();
        dial(s, -13, 600).silence(30);
        dial(s, -13, 600);
        run(s.pcm());
        assertThat(hits).hasSize(1);
    }

    @Test
    void ringbackRejected() {
        Signals s = new Signals();
        for (int i = 0; i < 3; i++) {
            s.dual(440, -19, 480, -19, 2000).silence(4000);
        }
        run(s.pcm());
        assertThat(hits).isEmpty();
    }

    @Test
    void singleFrequenciesAndBusyToneRejected() {
        Signals s = new Signals();
        s.dual(440, -13, 440, -200, 2000);
        s.dual(350, -13, 350, -200, 2000);
        s.dual(480, -13, 620, -13, 2000);
        run(s.pcm());
        assertThat(hits).isEmpty();
    }

    @Test
    void levelsFromMinus25To0Dbm0WithNoise() {
        double[] levels = {-25, -13, 0};
        Signals s = new Signals();
        for (double l : levels) {
            dial(s, l, 1200).silence(200);
        }
        run(s.noise(-28, 3).pcm());
        assertThat(hits).hasSize(3);
    }

    @Test
    void tooQuietOrTwistedRejected() {
        Signals s = new Signals();
        dial(s, -40, 1500).silence(200);
        s.dual(350, -10, 440, -20, 1500).silence(200);
        run(s.pcm());
        assertThat(hits).isEmpty();
    }

    @Test
    void throughMuLawAndConfigurableDuration() {
        DialToneDetector quick = new DialToneDetector((t, st, d) -> hits.add(new Hit(t, st, d)),
                new DialToneDetector.Settings(-30, 6, 0.7, 4000, 2));
        short[] pcm = dial(new Signals(), -20, 700).pcm();
        byte[] ulaw = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, ulaw, 0, pcm.length);
        G711.decodeUlaw(ulaw, 0, pcm, 0, pcm.length);
        quick.process(pcm, 0, pcm.length);
        assertThat(hits).containsExactly(new Hit(Tone.DIAL, 0, 4000));
    }
}
