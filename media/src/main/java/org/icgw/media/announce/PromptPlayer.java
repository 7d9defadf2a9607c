package org.icgw.media.announce;

import java.util.Arrays;
import java.util.Objects;

/**
 * Plays a {@link Prompt} in 20 ms frames, once or looped with a pause between repeats (hold
 * audio: "please hold" every few seconds). Reads the prompt without allocating.
 */
public final class PromptPlayer implements FrameSource {
    private final Prompt prompt;
    private final boolean loop;
    private final int gapSamples;
    private int position;
    private long framesPlayed;

    private PromptPlayer(Prompt prompt, boolean loop, int gapMs) {
        this.prompt = Objects.requireNonNull(prompt, "prompt");
        this.loop = loop;
        this.gapSamples = gapMs * (Prompt.SAMPLE_RATE / 1000);
    }

    /** Plays {@code prompt} once. */
    public static PromptPlayer once(Prompt prompt) {
        return new PromptPlayer(prompt, false, 0);
    }

    /** Plays {@code prompt} forever with {@code gapMs} of silence between repeats. */
    public static PromptPlayer looped(Prompt prompt, int gapMs) {
        if (gapMs < 0 || (gapMs == 0 && prompt.length() == 0)) {
            throw new IllegalArgumentException("a loop needs audio or a positive gap");
        }
        return new PromptPlayer(prompt, true, gapMs);
    }

    @Override
    public int nextFrame(short[] frame) {
        if (!loop) {
            int n = prompt.copyTo(position, frame, 0, FRAME);
            Arrays.fill(frame, n, FRAME, (short) 0);
            position += n;
            if (n > 0) {
                framesPlayed++;
            }
            return n;
        }
        int cycle = prompt.length() + gapSamples;
        for (int i = 0; i < FRAME; i++) {
            frame[i] = position < prompt.length() ? prompt.sampleAt(position) : 0;
            position = (position + 1) % cycle;
        }
        framesPlayed++;
        return FRAME;
    }

    /** True once a non-looping player has played every sample. */
    public boolean finished() {
        return !loop && position >= prompt.length();
    }

    /** Frames that carried audio or loop silence. */
    public long framesPlayed() {
        return framesPlayed;
    }

    /** Restarts from the first sample. */
    public void rewind() {
        position = 0;
    }
}
