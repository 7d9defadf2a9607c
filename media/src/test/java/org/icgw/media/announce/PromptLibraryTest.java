package org.icgw.media.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.icgw.media.codec.G711;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptLibraryTest {
    /** Every prompt the gateway plays (deploy/prompts/generate.sh), in both languages. */
    static final List<String> NAMES = List.of(
            "enter_pin", "invalid_pin", "too_many_attempts", "enter_number",
            "unknown_terminal", "bad_pin", "pin_locked", "inmate_restricted", "daily_limit",
            "outside_calling_hours", "facility_lockdown", "invalid_number", "number_blocked",
            "number_not_allowed", "toll_free", "premium", "international_not_allowed",
            "no_account", "insufficient_funds", "credit_limit",
            "please_hold", "busy", "no_answer", "could_not_complete", "system_unavailable",
            "prepaid_call_from", "collect_call_from", "at", "correctional_notice", "an_inmate",
            "a_correctional_facility", "callee_menu",
            "rate_is", "dollars", "and", "cents_per_minute",
            "digit_0", "digit_1", "digit_2", "digit_3", "digit_4",
            "digit_5", "digit_6", "digit_7", "digit_8", "digit_9",
            "accepted", "refused", "blocked", "one_minute_warning", "time_limit",
            "balance_exhausted", "three_way_warning", "three_way_disconnect",
            "periodic_announcement", "goodbye");

    @Test
    void everyGeneratedPromptLoadsInBothLanguages() throws IOException {
        PromptLibrary lib = PromptLibrary.fromClasspath("prompts", getClass().getClassLoader());
        assertThat(lib.languages()).containsExactly("en", "es");
        for (String lang : List.of("en", "es")) {
            assertThat(lib.names(lang)).containsExactlyInAnyOrderElementsOf(NAMES);
            for (String name : NAMES) {
                Prompt p = lib.get(lang, name).orElseThrow();
                assertThat(p.durationMillis()).as("%s/%s", lang, name).isBetween(150L, 15_000L);
                int peak = 0;
                for (int i = 0; i < p.length(); i++) {
                    peak = Math.max(peak, Math.abs(p.sampleAt(i)));
                }
                // generate.sh normalises peaks to -6 dBFS
                assertThat(peak).as("%s/%s peak", lang, name).isBetween(15_000, 17_000);
            }
        }
        assertThat(lib.get("es", "goodbye")).isNotEqualTo(lib.get("en", "goodbye"));
    }

    @Test
    void missingLanguageOrPromptFallsBackToEnglish() throws IOException {
        PromptLibrary lib = PromptLibrary.fromClasspath("prompts", getClass().getClassLoader());
        assertThat(lib.get("fr", "goodbye")).isEqualTo(lib.get("en", "goodbye")).isPresent();
        assertThat(lib.get("es", "no_such_prompt")).isEmpty();
    }

    private static void write(Path file, AudioFormat format, byte[] data) throws IOException {
        Files.createDirectories(file.getParent());
        AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(data), format,
                data.length / format.getFrameSize());
        AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }

    @Test
    void directoryWithMuLawALawAndLinearFiles(@TempDir Path dir) throws IOException {
        short[] pcm = {0, 1000, -1000, 8000, -8000, 32000, -32000, 5};
        byte[] mu = new byte[pcm.length];
        byte[] al = new byte[pcm.length];
        byte[] lin = new byte[2 * pcm.length];
        G711.encodeUlaw(pcm, 0, mu, 0, pcm.length);
        G711.encodeAlaw(pcm, 0, al, 0, pcm.length);
        for (int i = 0; i < pcm.length; i++) {
            lin[2 * i] = (byte) pcm[i];
            lin[2 * i + 1] = (byte) (pcm[i] >> 8);
        }
        write(dir.resolve("en/mu.wav"), new AudioFormat(AudioFormat.Encoding.ULAW, 8000, 8, 1, 1, 8000, false), mu);
        write(dir.resolve("en/al.wav"), new AudioFormat(AudioFormat.Encoding.ALAW, 8000, 8, 1, 1, 8000, false), al);
        write(dir.resolve("es/lin.wav"), new AudioFormat(8000, 16, 1, true, false), lin);

        PromptLibrary lib = PromptLibrary.fromDirectory(dir);
        assertThat(lib.get("en", "lin")).isEmpty();
        assertThat(lib.get("es", "lin").orElseThrow().samples()).containsExactly(pcm);
        short[] muBack = lib.get("en", "mu").orElseThrow().samples();
        short[] alBack = lib.get("es", "al").orElseThrow().samples();
        for (int i = 0; i < pcm.length; i++) {
            // the JDK's G.711 expansion may differ from ours by rounding only
            assertThat(Math.abs(muBack[i] - G711.ulawToLinear(mu[i]))).isLessThanOrEqualTo(4);
            assertThat(Math.abs(alBack[i] - G711.alawToLinear(al[i]))).isLessThanOrEqualTo(8);
        }
    }

    @Test
    void wrongRateOrChannelsRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        write(dir.resolve("en/wide.wav"), new AudioFormat(16000, 16, 1, true, false), new byte[64]);
        assertThatThrownBy(() -> PromptLibrary.fromDirectory(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("wide.wav").hasMessageContaining("16000");
        Files.delete(dir.resolve("en/wide.wav"));
        write(dir.resolve("en/stereo.wav"), new AudioFormat(8000, 16, 2, true, false), new byte[64]);
        assertThatThrownBy(() -> PromptLibrary.fromDirectory(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("stereo.wav");
        Files.delete(dir.resolve("en/stereo.wav"));
        Files.write(dir.resolve("en/junk.wav"), new byte[] {1, 2, 3, 4, 5});
        assertThatThrownBy(() -> PromptLibrary.fromDirectory(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("junk.wav");
    }
}
