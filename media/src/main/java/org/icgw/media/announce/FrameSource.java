package org.icgw.media.announce;

/** Produces audio 20 ms at a time for the playout path. */
public interface FrameSource {
    /** Samples in a 20 ms frame at 8 kHz. */
    int FRAME = 160;

    /**
     * Fills {@code frame[0..FRAME)} with the next 20 ms (zeros where there is nothing to play).
     *
     * @return how many samples carry the source's audio: {@link #FRAME} while it plays, fewer
     *     in its last frame, 0 once it has finished. Endless sources always return {@link #FRAME}.
     */
    int nextFrame(short[] frame);
}
