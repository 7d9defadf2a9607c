package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.icgw.gateway.sip.SourceGuard.Verdict;
import org.junit.jupiter.api.Test;

/** The guard's budgets and bans on a hand-turned clock. */
class SourceGuardTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(7 * SECOND);

    private SourceGuard guard(SipLimits limits, double perSource, int burst) {
        return new SourceGuard(SipEndpointConfig.defaults("127.0.0.1").withRateLimit(perSource, burst).withLimits(limits),
                nanos::get);
    }

    private static InetAddress source(int i) {
        return InetAddress.ofLiteral("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
    }

    @Test
    void manySourcesWithinTheirOwnRateStillMeetTheGlobalBudget() {
        SourceGuard guard = guard(SipLimits.DEFAULTS.withGlobalRate(100, 100), 50, 100);

        long admitted = IntStream.range(0, 2_000).mapToObj(SourceGuardTest::source)
                .filter(s -> guard.admit(s) == Verdict.ADMIT).count();
        assertThat(admitted).isEqualTo(100);
        assertThat(guard.admit(source(5_000))).isEqualTo(Verdict.OVER_BUDGET);

        nanos.addAndGet(SECOND / 2);
        long later = IntStream.range(0, 2_000).mapToObj(SourceGuardTest::source)
                .filter(s -> guard.admit(s) == Verdict.ADMIT).count();
        assertThat(later).isEqualTo(50);
    }

    @Test
    void aParseErrorCostsItsSourceMoreThanARequest() {
        SipLimits limits = SipLimits.DEFAULTS; // parse_error_cost 5
        SourceGuard guard = guard(limits, 1, 20);
        InetAddress garbage = source(1);
        InetAddress polite = source(2);

        int garbageAdmitted = 0;
        while (guard.admit(garbage) == Verdict.ADMIT) {
            guard.parseError(garbage);
            garbageAdmitted++;
        }
        int politeAdmitted = 0;
        while (guard.admit(polite) == Verdict.ADMIT) {
            politeAdmitted++;
        }
        assertThat(garbageAdmitted).isEqualTo(4);
        assertThat(politeAdmitted).isEqualTo(20);
    }

    @Test
    void theFailureAtTheBoundBansAndTheBanEnds() {
        SourceGuard guard = guard(SipLimits.DEFAULTS.withBan(20, Duration.ofSeconds(60), Duration.ofMinutes(10)), 1000, 1000);
        InetAddress guesser = source(9);

        for (int i = 1; i < 20; i++) {
            assertThat(guard.authFailed(guesser)).isFalse();
        }
        assertThat(guard.admit(guesser)).isEqualTo(Verdict.ADMIT);
        assertThat(guard.authFailed(guesser)).isTrue();
        assertThat(guard.admit(guesser)).isEqualTo(Verdict.BANNED);
        assertThat(guard.admit(source(10))).isEqualTo(Verdict.ADMIT);

        nanos.addAndGet(Duration.ofMinutes(10).toNanos() - 1);
        assertThat(guard.banned(guesser)).isTrue();
        nanos.addAndGet(1);
        assertThat(guard.banned(guesser)).isFalse();
        assertThat(guard.admit(guesser)).isEqualTo(Verdict.ADMIT);
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        SourceGuard guard = guard(SipLimits.DEFAULTS.withBan(3, Duration.ofSeconds(60), Duration.ofMinutes(10)), 1000, 1000);
        InetAddress slow = source(3);

        assertThat(guard.authFailed(slow)).isFalse();
        assertThat(guard.authFailed(slow)).isFalse();
        nanos.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(guard.authFailed(slow)).isFalse();
        assertThat(guard.authFailed(slow)).isFalse();
        assertThat(guard.authFailed(slow)).isTrue();
    }

    @Test
    void trackedAddressesStayBoundedUnderASpoofedFlood() {
        SourceGuard guard = guard(SipLimits.DEFAULTS.withBan(2, Duration.ofSeconds(60), Duration.ofMinutes(10)), 1000, 1000);

        IntStream.range(0, SourceGuard.MAX_TRACKED + 5_000).forEach(i -> guard.authFailed(source(i)));
        IntStream.range(0, SourceGuard.MAX_TRACKED + 5_000).forEach(i -> guard.authFailed(source(i)));

        assertThat(guard.bannedCount()).isLessThanOrEqualTo(SourceGuard.MAX_TRACKED);
        assertThat(guard.trackedFailures()).isLessThanOrEqualTo(SourceGuard.MAX_TRACKED);
    }
}
