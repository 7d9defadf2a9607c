package org.icgw.media.announce;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every prompt, loaded once at start-up, looked up by language and name.
 *
 * <p>Layout: {@code <root>/<language>/<name>.wav}. A directory root is scanned; a classpath root
 * is read through its {@code index.txt} (one {@code language/name} per line, written by
 * {@code deploy/prompts/generate.sh}), since a classpath cannot be listed. Files must be 8 kHz
 * mono WAV holding mu-law, A-law or 16-bit linear PCM; {@code javax.sound.sampled} converts the
 * first two. Anything else fails loading with an {@link IOException} naming the file.
 *
 * <p>Lookups fall back to {@value #FALLBACK_LANGUAGE} when the language, or the prompt in it, is
 * missing. The library is immutable after loading and safe to share between threads.
 */
public final class PromptLibrary {
    /** Language used when a prompt is missing in the requested one. */
    public static final String FALLBACK_LANGUAGE = "en";
    private static final Logger LOG = LoggerFactory.getLogger(PromptLibrary.class);
    private static final AudioFormat LINEAR =
            new AudioFormat(Prompt.SAMPLE_RATE, 16, 1, true, false);

    private final Map<String, Map<String, Prompt>> prompts;

    private PromptLibrary(Map<String, Map<String, Prompt>> prompts) {
        this.prompts = prompts;
    }

    /** Loads {@code root/<language>/<name>.wav} for every language directory under root. */
    public static PromptLibrary fromDirectory(Path root) throws IOException {
        Map<String, Map<String, Prompt>> all = new TreeMap<>();
        try (DirectoryStream<Path> langs = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path lang : langs) {
                Map<String, Prompt> byName = new TreeMap<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(lang, "*.wav")) {
                    for (Path f : files) {
                        String file = f.getFileName().toString();
                        try (InputStream in = Files.newInputStream(f)) {
                            byName.put(file.substring(0, file.length() - 4), read(in, f.toString()));
                        }
                    }
                }
                all.put(lang.getFileName().toString(), byName);
            }
        }
        return loaded(all, root.toString());
    }

    /**
     * Loads the prompts listed in {@code <root>/index.txt} from the classpath of {@code loader},
     * e.g. {@code fromClasspath("prompts", getClass().getClassLoader())}.
     */
    public static PromptLibrary fromClasspath(String root, ClassLoader loader) throws IOException {
        String index = root + "/index.txt";
        Map<String, Map<String, Prompt>> all = new TreeMap<>();
        try (InputStream in = loader.getResourceAsStream(index)) {
            if (in == null) {
                throw new IOException(index + ": not found on the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) {
                    continue;
                }
                int slash = entry.indexOf('/');
                if (slash <= 0 || slash == entry.length() - 1) {
                    throw new IOException(index + ": bad entry '" + entry + "', expected language/name");
                }
                String resource = root + "/" + entry + ".wav";
                try (InputStream wav = loader.getResourceAsStream(resource)) {
                    if (wav == null) {
                        throw new IOException(resource + ": listed in " + index + " but missing");
                    }
                    all.computeIfAbsent(entry.substring(0, slash), k -> new TreeMap<>())
                            .put(entry.substring(slash + 1), read(wav, resource));
                }
            }
        }
        return loaded(all, "classpath:" + root);
    }

    private static PromptLibrary loaded(Map<String, Map<String, Prompt>> all, String where) {
        all.replaceAll((lang, byName) -> Map.copyOf(byName));
        all.forEach((lang, byName) -> LOG.info("loaded {} prompts for '{}' from {}", byName.size(), lang, where));
        return new PromptLibrary(Map.copyOf(all));
    }

    /**
     * Reads one WAV stream as a prompt.
     *
     * @param name the file's name, used in error messages
     * @throws IOException on broken input or a format other than 8 kHz mono mu-law, A-law or
     *     16-bit PCM
     */
    public static Prompt read(InputStream wav, String name) throws IOException {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(wav))) {
            AudioFormat f = in.getFormat();
            AudioFormat.Encoding e = f.getEncoding();
            boolean coded = (e.equals(AudioFormat.Encoding.ULAW) || e.equals(AudioFormat.Encoding.ALAW))
                    && f.getSampleSizeInBits() == 8;
            boolean linear = e.equals(AudioFormat.Encoding.PCM_SIGNED) && f.getSampleSizeInBits() == 16;
            if (f.getSampleRate() != Prompt.SAMPLE_RATE || f.getChannels() != 1 || !(coded || linear)) {
                throw new IOException(name + ": unsupported audio " + f
                        + "; expected 8000 Hz mono mu-law, A-law or 16-bit PCM WAV");
            }
            byte[] b;
            if (linear && !f.isBigEndian()) {
                b = in.readAllBytes();
            } else {
                try (AudioInputStream pcm = AudioSystem.getAudioInputStream(LINEAR, in)) {
                    b = pcm.readAllBytes();
                }
            }
            short[] s = new short[b.length / 2];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) ((b[2 * i] & 0xFF) | (b[2 * i + 1] << 8));
            }
            return Prompt.of(s);
        } catch (UnsupportedAudioFileException ex) {
            throw new IOException(name + ": not a readable WAV file (" + ex.getMessage() + ")", ex);
        }
    }

    /**
     * The prompt {@code name} in {@code language}, else in {@value #FALLBACK_LANGUAGE}, else
     * empty.
     */
    public Optional<Prompt> get(String language, String name) {
        Map<String, Prompt> byName = prompts.get(language);
        Prompt p = byName == null ? null : byName.get(name);
        if (p == null) {
            Map<String, Prompt> fallback = prompts.get(FALLBACK_LANGUAGE);
            p = fallback == null ? null : fallback.get(name);
        }
        return Optional.ofNullable(p);
    }

    /** Languages loaded. */
    public Set<String> languages() {
        return new TreeSet<>(prompts.keySet());
    }

    /** Names of the prompts loaded for {@code language} (without fallback). */
    public Set<String> names(String language) {
        return new TreeSet<>(prompts.getOrDefault(language, Map.of()).keySet());
    }
}
