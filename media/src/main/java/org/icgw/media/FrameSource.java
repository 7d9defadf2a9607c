package org.icgw.media;

/**
 * Produces audio frames on demand (ringback, hold music): 8 kHz 16-bit linear samples. Called on
 * the session's event loop every 20 ms while it plays; must not block.
 */
@FunctionalInterface
public interface FrameSource {
    /**
     * Fills {@code frame} (160 samples, 20 ms) from its start.
     *
     * @return the number of samples written (the rest of the frame is sent as silence), or a
     *         negative number when the source has ended
     */
    int nextFrame(short[] frame);
}
