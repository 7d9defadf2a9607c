package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Failed tokens per address: the limit and one past it, the window, and the bound on addresses kept. */
class AuthFailureLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private static InetAddress address(int n) {
        try {
            return InetAddress.getByAddress(new byte[] {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AuthFailureLimiter.Check<Boolean> check(AtomicInteger runs, boolean fails) {
        return new AuthFailureLimiter.Check<>() {
            @Override
            public Boolean run() {
                runs.incrementAndGet();
                return fails;
            }

            @Override
            public boolean failed(Boolean result) {
                return result;
            }
        };
    }

    @Test
    void theTenthFailureBlocksTheAddressUntilItsMinuteIsOverWhateverItSends() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(10, now::get);
        AtomicInteger runs = new AtomicInteger();
        InetAddress a = address(1);
        for (int i = 0; i < 9; i++) {
            assertThat(limiter.attempt(a, check(runs, true))).isInstanceOf(AuthFailureLimiter.Attempt.Checked.class);
            now.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertThat(limiter.blockedFor(a)).isEmpty();
        assertThat(limiter.attempt(a, check(runs, false))).isEqualTo(new AuthFailureLimiter.Attempt.Checked<>(false, false));
        assertThat(limiter.attempt(a, check(runs, true))).isEqualTo(new AuthFailureLimiter.Attempt.Checked<>(true, true));
        assertThat(runs.get()).isEqualTo(11);

        // The window opened with the first failure, 9 s ago: 51 s are left.
        assertThat(limiter.blockedFor(a)).contains(Duration.ofSeconds(51));
        assertThat(limiter.attempt(a, check(runs, false)))
                .isEqualTo(new AuthFailureLimiter.Attempt.Blocked<>(Duration.ofSeconds(51)));
        assertThat(runs.get()).as("a blocked address's token is not even checked").isEqualTo(11);
        assertThat(limiter.blockedFor(address(2))).isEmpty();

        now.addAndGet(Duration.ofSeconds(51).toNanos() - 1);
        assertThat(limiter.blockedFor(a)).contains(Duration.ofNanos(1));
        now.addAndGet(1);
        assertThat(limiter.blockedFor(a)).isEmpty();
        assertThat(limiter.attempt(a, check(runs, false))).isEqualTo(new AuthFailureLimiter.Attempt.Checked<>(false, false));
        assertThat(limiter.tracked()).isZero();
    }

    @Test
    void atMostMaxTrackedAddressesAreKeptTheOldestWindowGoingFirst() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(1, now::get);
        for (int i = 0; i < AuthFailureLimiter.MAX_TRACKED_ADDRESSES; i++) {
            limiter.failed(address(i));
            now.incrementAndGet();
        }
        assertThat(limiter.tracked()).isEqualTo(AuthFailureLimiter.MAX_TRACKED_ADDRESSES);
        assertThat(limiter.blockedFor(address(0))).isPresent();
        assertThat(limiter.blockedFor(address(AuthFailureLimiter.MAX_TRACKED_ADDRESSES - 1))).isPresent();

        limiter.failed(address(AuthFailureLimiter.MAX_TRACKED_ADDRESSES));
        assertThat(limiter.tracked()).isEqualTo(AuthFailureLimiter.MAX_TRACKED_ADDRESSES);
        assertThat(limiter.blockedFor(address(0))).isEqualTo(Optional.empty());
        assertThat(limiter.blockedFor(address(1))).isPresent();
        assertThat(limiter.blockedFor(address(AuthFailureLimiter.MAX_TRACKED_ADDRESSES))).isPresent();

        now.addAndGet(AuthFailureLimiter.WINDOW.toNanos());
        assertThat(limiter.tracked()).isZero();
    }
}
