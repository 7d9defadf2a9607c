package org.icgw.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.media.dtmf.InbandDtmfDetector;
import org.icgw.media.tone.DialToneDetector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Talk-off: three minutes of synthetic speech per language (talkoff/generate.sh, many voices,
 * pitches and speeds, stored as mu-law) and every prompt the gateway plays must not produce a
 * single digit or dial tone.
 */
class TalkOffTest {
    static short[] load(String resource) throws Exception {
        try (InputStream raw = TalkOffTest.class.getResourceAsStream(resource)) {
            assertThat(raw).as(resource).isNotNull();
            AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(raw));
            AudioInputStream pcm = AudioSystem.getAudioInputStream(
                    new AudioFormat(8000, 16, 1, true, false), in);
            byte[] b = pcm.readAllBytes();
            short[] s = new short[b.length / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
            }
            return s;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/talkoff/speech_en.wav", "/talkoff/speech_es.wav"})
    void speechTriggersNoDigitAndNoDialTone(String resource) throws Exception {
        short[] speech = load(resource);
        assertThat(speech.length).isEqualTo(180 * 8000);
        List<Character> digits = new ArrayList<>();
        InbandDtmfDetector dtmf = new InbandDtmfDetector((d, s, n) -> digits.add(d));
        DialToneDetector dial = new DialToneDetector((t, s, n) -> digits.add('T'));
        for (int off = 0; off < speech.length; off += 160) {
            dtmf.process(speech, off, 160);
            dial.process(speech, off, 160);
        }
        dtmf.flush();
        assertThat(digits).isEmpty();
        assertThat(dtmf.samples()).isEqualTo(speech.length);
    }

    @Test
    void everyPromptTriggersNothing() throws Exception {
        PromptLibrary lib = PromptLibrary.fromClasspath("prompts", getClass().getClassLoader());
        List<String> hits = new ArrayList<>();
        int checked = 0;
        for (String lang : lib.languages()) {
            for (String name : lib.names(lang)) {
                short[] pcm = lib.get(lang, name).orElseThrow().samples();
                InbandDtmfDetector dtmf = new InbandDtmfDetector((d, s, n) -> hits.add(name + d));
                DialToneDetector dial = new DialToneDetector((t, s, n) -> hits.add(name + t));
                dtmf.process(pcm, 0, pcm.length);
                dtmf.flush();
                dial.process(pcm, 0, pcm.length);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(112);
        assertThat(hits).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/talkoff/speech_en.wav", "/talkoff/speech_es.wav"})
    void digitsOverSpeechPausesStillFound(String resource) throws Exception {
        short[] speech = load(resource);
        short[] keys = new Signals().keys("147*2580369#", -15, 60, 60).pcm();
        // Ten seconds of speech, then the digits, then speech again.
        short[] pcm = new short[2 * 80_000 + keys.length];
        System.arraycopy(speech, 0, pcm, 0, 80_000);
        System.arraycopy(keys, 0, pcm, 80_000, keys.length);
        System.arraycopy(speech, 80_000, pcm, 80_000 + keys.length, 80_000);
        StringBuilder sb = new StringBuilder();
        InbandDtmfDetector dtmf = new InbandDtmfDetector((d, s, n) -> sb.append(d));
        dtmf.process(pcm, 0, pcm.length);
        dtmf.flush();
        assertThat(sb).hasToString("147*2580369#");
    }
}
