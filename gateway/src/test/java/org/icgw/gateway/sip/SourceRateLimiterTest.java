package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final SourceRateLimiter limiter = new SourceRateLimiter(10, 5, nanos::get);

    private static InetAddress address(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    private long granted(InetAddress source, int attempts) {
        return IntStream.range(0, attempts).filter(i -> limiter.tryAcquire(source)).count();
    }

    @Test
    void aSourceGetsItsBurstThenNothingUntilTokensRefill() throws Exception {
        InetAddress a = address("192.0.2.1");
        assertThat(granted(a, 50)).isEqualTo(5);

        nanos.addAndGet(300_000_000L); // 0.3 s at 10/s: 3 tokens
        assertThat(granted(a, 50)).isEqualTo(3);

        nanos.addAndGet(60_000_000_000L); // a minute: refilled only up to the burst
        assertThat(granted(a, 50)).isEqualTo(5);
    }

    @Test
    void oneSourcesFloodLeavesOthersTheirOwnBurst() throws Exception {
        InetAddress flooder = address("192.0.2.1");
        InetAddress other = address("192.0.2.2");
        assertThat(granted(flooder, 1000)).isEqualTo(5);

        assertThat(granted(other, 5)).isEqualTo(5);
    }

    @Test
    void idleSourcesAreForgottenWhenTheTableIsFull() throws Exception {
        byte[] raw = {10, 0, 0, 0};
        for (int i = 0; i < SourceRateLimiter.MAX_TRACKED_SOURCES; i++) {
            raw[2] = (byte) (i >> 8);
            raw[3] = (byte) i;
            limiter.tryAcquire(InetAddress.getByAddress(raw));
        }
        nanos.addAndGet(1_000_000_000L);

        limiter.tryAcquire(address("192.0.2.9"));

        assertThat(limiter.trackedSources()).isEqualTo(1);
    }
}
