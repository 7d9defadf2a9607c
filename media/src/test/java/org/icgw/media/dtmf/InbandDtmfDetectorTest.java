package org.icgw.media.dtmf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.icgw.media.Signals;
import org.icgw.media.codec.G711;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InbandDtmfDetectorTest {
    private static final String ALL = "123A456B789C*0#D";

    record Digit(char digit, long start, long duration) {
    }

    private final List<Digit> found = new ArrayList<>();
    private final InbandDtmfDetector detector =
            new InbandDtmfDetector((d, s, n) -> found.add(new Digit(d, s, n)));

    private String run(short[] pcm) {
        detector.process(pcm, 0, pcm.length);
        detector.process(new short[800], 0, 800);
        detector.flush();
        StringBuilder sb = new StringBuilder();
        found.forEach(d -> sb.append(d.digit()));
        return sb.toString();
    }

    @Test
    void everyKeyOnceInSequence() {
        assertThat(run(new Signals().silence(30).keys(ALL, -10, 60, 60).pcm())).isEqualTo(ALL);
        assertThat(detector.digits()).isEqualTo(16);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-25, -20, -15, -10, -5, -3, 0})
    void levelsFromMinus25To0Dbm0(double dbm0) {
        assertThat(run(new Signals().silence(20).keys(ALL, dbm0, 50, 50).pcm())).isEqualTo(ALL);
    }

    @Test
    void nearMinimumLevelAfterSilenceAccepted() {
        // -29 dBm0 per tone, just above the -30 dBm0 limit: the energy gate (silence skipped
        // without filtering) must not cut a block that would pass, nor the block before it.
        assertThat(run(new Signals().silence(100).keys(ALL, -29, 50, 100).pcm())).isEqualTo(ALL);
    }

    @Test
    void belowSensitivityIgnored() {
        assertThat(run(new Signals().keys("159", -36, 80, 50).pcm())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.015, 0.015})
    void withinOnePointFivePercentAccepted(double offset) {
        Signals s = new Signals().silence(10);
        for (char k : ALL.toCharArray()) {
            s.key(k, -10, offset, offset, 50).silence(50);
            s.key(k, -10, offset, -offset, 50).silence(50);
        }
        assertThat(run(s.pcm())).isEqualTo(ALL.replaceAll("(.)", "$1$1"));
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.05, -0.035, 0.035, 0.05})
    void beyondThreePointFivePercentRejected(double offset) {
        Signals s = new Signals().silence(10);
        for (char k : ALL.toCharArray()) {
            s.key(k, -10, offset, 0, 50).silence(50);
            s.key(k, -10, 0, offset, 50).silence(50);
        }
        assertThat(run(s.pcm())).isEmpty();
    }

    @Test
    void twistWithinLimitsAccepted() {
        Signals s = new Signals().silence(10);
        for (char k : "19*D".toCharArray()) {
            // normal twist: low group 7 dB above high group
            s.dual(Signals.rowFreq(k), -8, Signals.colFreq(k), -15, 60).silence(60);
            // reverse twist: high group 3 dB above low group
            s.dual(Signals.rowFreq(k), -13, Signals.colFreq(k), -10, 60).silence(60);
        }
        assertThat(run(s.pcm())).isEqualTo("1199**DD");
    }

    @Test
    void twistBeyondLimitsRejected() {
        Signals s = new Signals().silence(10);
        for (char k : "19*D".toCharArray()) {
            s.dual(Signals.rowFreq(k), -5, Signals.colFreq(k), -15, 60).silence(60);
            s.dual(Signals.rowFreq(k), -16, Signals.colFreq(k), -10, 60).silence(60);
        }
        assertThat(run(s.pcm())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void whiteNoiseAt15DbSnr(long seed) {
        // Per-tone level -17 dBm0: the pair is -14 dBm0; noise 15 dB below the pair.
        Signals s = new Signals().silence(20).keys(ALL, -17, 50, 50).noise(-29, seed);
        assertThat(run(s.pcm())).isEqualTo(ALL);
    }

    @Test
    void whiteNoiseAloneNeverDetected() {
        assertThat(run(new Signals().silence(10_000).noise(-10, 42).pcm())).isEmpty();
    }

    @Test
    void fortyMsAcceptedAtEveryAlignment() {
        for (int shift = 0; shift < InbandDtmfDetector.BLOCK; shift += 3) {
            found.clear();
            detector.reset();
            Signals s = new Signals().silenceSamples(shift);
            for (char k : ALL.toCharArray()) {
                s.key(k, -20, 40).silence(40);
            }
            assertThat(run(s.pcm())).as("shift %d", shift).isEqualTo(ALL);
        }
    }

    @Test
    void twentyMsRejectedAtEveryAlignment() {
        for (int shift = 0; shift < InbandDtmfDetector.BLOCK; shift += 3) {
            found.clear();
            detector.reset();
            Signals s = new Signals().silenceSamples(shift);
            for (char k : ALL.toCharArray()) {
                s.key(k, 0, 20).silence(60);
            }
            assertThat(run(s.pcm())).as("shift %d", shift).isEmpty();
        }
        assertThat(detector.rejectedShort()).isPositive();
    }

    @Test
    void repeatedDigitsWithFortyMsPauses() {
        assertThat(run(new Signals().keys("1155009##", -12, 45, 40).pcm())).isEqualTo("1155009##");
    }

    @Test
    void startAndDurationEstimated() {
        run(new Signals().silence(100).key('5', -10, 120).silence(100).key('#', -20, 45).pcm());
        assertThat(found).hasSize(2);
        assertThat(found.get(0).start()).isBetween(800L - 40, 800L + 40);
        assertThat(found.get(0).duration()).isBetween(960L - 60, 960L + 60);
        assertThat(found.get(1).start()).isBetween(2560L - 40, 2560L + 40);
        assertThat(found.get(1).duration()).isBetween(360L - 60, 360L + 60);
    }

    @Test
    void longToneReportedOnce() {
        assertThat(run(new Signals().key('7', -10, 3000).pcm())).isEqualTo("7");
        assertThat(found.get(0).duration()).isBetween(24_000L - 80, 24_000L + 80);
    }

    @Test
    void thirdToneRejected() {
        Signals s = new Signals();
        for (int i = 0; i < 3; i++) {
            s.dual(697, -10, 1209, -10, 60);
        }
        short[] a = s.pcm();
        short[] b = new Signals().dual(770, -10, 770, -200, 180).pcm();
        short[] mix = new short[a.length];
        for (int i = 0; i < a.length; i++) {
            mix[i] = (short) (a[i] + b[i]);
        }
        assertThat(run(mix)).isEmpty();
    }

    @Test
    void strongSecondHarmonicsRejected() {
        Signals s = new Signals().silence(10);
        short[] tone = s.dual(852, -10, 1336, -10, 80).pcm();
        short[] harmonics = new Signals().silence(10).dual(1704, -13, 2672, -13, 80).pcm();
        short[] mix = new short[tone.length];
        for (int i = 0; i < tone.length; i++) {
            mix[i] = (short) (tone[i] + harmonics[i]);
        }
        assertThat(run(mix)).isEmpty();
    }

    @Test
    void survivesMuLawAndALaw() {
        short[] pcm = new Signals().silence(20).keys(ALL, -25, 50, 50).pcm();
        byte[] coded = new byte[pcm.length];
        G711.encodeUlaw(pcm, 0, coded, 0, pcm.length);
        short[] back = new short[pcm.length];
        G711.decodeUlaw(coded, 0, back, 0, pcm.length);
        assertThat(run(back)).isEqualTo(ALL);
        found.clear();
        detector.reset();
        G711.encodeAlaw(pcm, 0, coded, 0, pcm.length);
        G711.decodeAlaw(coded, 0, back, 0, pcm.length);
        assertThat(run(back)).isEqualTo(ALL);
    }

    @Test
    void resultIndependentOfChunking() {
        short[] pcm = new Signals().silence(15).keys("8A0", -15, 55, 45).noise(-35, 7).pcm();
        run(pcm);
        List<Digit> whole = List.copyOf(found);
        found.clear();
        detector.reset();
        int[] sizes = {1, 7, 160, 33, 80};
        int off = 0;
        for (int i = 0; off < pcm.length; i++) {
            int n = Math.min(sizes[i % sizes.length], pcm.length - off);
            detector.process(pcm, off, n);
            off += n;
        }
        detector.process(new short[800], 0, 800);
        detector.flush();
        assertThat(found).isEqualTo(whole).hasSize(3);
    }
}
