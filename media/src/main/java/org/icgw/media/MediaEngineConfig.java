package org.icgw.media;

import org.icgw.media.port.PortAllocator;

/**
 * Settings of the {@link MediaEngine}.
 *
 * @param ioThreads event loops (each owns many sessions); 0 means one per two available
 *     processors, at least one
 * @param rtpPortMin lowest port of the RTP range
 * @param rtpPortMax highest port of the RTP range
 * @param preferNativeTransport use epoll when available; false forces Java NIO
 */
public record MediaEngineConfig(int ioThreads, int rtpPortMin, int rtpPortMax, boolean preferNativeTransport) {
    /** Validates the fields. */
    public MediaEngineConfig {
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must not be negative: " + ioThreads);
        }
        if (rtpPortMin < 1024 || rtpPortMax > 65535 || rtpPortMax <= rtpPortMin) {
            throw new IllegalArgumentException("bad RTP port range " + rtpPortMin + "-" + rtpPortMax);
        }
    }

    /** Contract defaults: ports 20000-29999, one loop per processor, epoll when available. */
    public static MediaEngineConfig defaults() {
        return new MediaEngineConfig(0, PortAllocator.DEFAULT_MIN, PortAllocator.DEFAULT_MAX, true);
    }

    /** A copy with another port range. */
    public MediaEngineConfig withPorts(int min, int max) {
        return new MediaEngineConfig(ioThreads, min, max, preferNativeTransport);
    }
}
