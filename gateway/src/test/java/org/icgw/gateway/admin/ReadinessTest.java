package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.icgw.gateway.call.CallManager;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.gateway.call.CallServices;
import org.icgw.gateway.call.DeferredWrites;
import org.icgw.gateway.call.StoreWrite;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /readyz} over real HTTP reports a CDR waiting for the store longer than the threshold
 * (503 with the reason), and is ready again once the write drains. The CDR goes to the real
 * embedded store behind a switch that fails as an unreachable database would.
 */
class ReadinessTest {
    private static final Duration MAX_WAIT = Duration.ofMillis(300);

    @TempDir
    Path tmp;
    private AdminHarness h;
    private final AtomicBoolean down = new AtomicBoolean();

    @BeforeEach
    void start() {
        h = new AdminHarness(tmp.resolve("db"), (store, clock) -> {
            CallServices services = new CallServices(null, store, null, null, null, CallMetrics.NONE, clock);
            return new CallManager(services, new DeferredWrites(Duration.ofMillis(50), MAX_WAIT,
                    (w, reason) -> store.setAside(w.callId(), w.kind(), reason, w.content(), clock.instant())));
        });
    }

    @AfterEach
    void stop() {
        down.set(false);
        h.calls.storeWrites().close();
        h.close();
    }

    private AdminHarness.Response awaitReadyz(String what, Predicate<AdminHarness.Response> condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            AdminHarness.Response r = h.get("/readyz", null);
            if (condition.test(r)) {
                return r;
            }
            assertThat(System.nanoTime()).as("waiting for " + what + ", last: " + r.text()).isLessThan(giveUp);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void aStoreWriteWaitingPastTheThresholdMakesReadyz503NamingItUntilItDrains() {
        AdminHarness.Response before = h.get("/readyz", null);
        assertThat(before.status()).isEqualTo(200);
        assertThat(before.json().get("store_writes").asBoolean()).isTrue();
        assertThat(before.json().has("reason")).isFalse();

        CallRecord cdr = new CallRecord("call-stuck", Optional.of("osage-county-jail"), Optional.of("pod-a-phone-1"),
                Optional.empty(), Optional.empty(), "5735550123", Optional.empty(), Optional.empty(),
                TestClock.START, Optional.empty(), Optional.empty(), TestClock.START.plusSeconds(5), 0, 0,
                Disposition.CALLER_ABANDONED, Optional.empty(), List.of(), Optional.empty());
        StoreWrite real = StoreWrite.cdr(h.store, cdr);
        down.set(true);
        h.calls.storeWrites().submit(StoreWrite.unrepairable(real.callId(), real.kind(), real.content(), () -> {
            if (down.get()) {
                throw new StoreException("store unreachable (test switch)", null);
            }
            real.run();
        }));
        assertThat(h.calls.pendingStoreWrites()).isEqualTo(1);

        AdminHarness.Response stalled = awaitReadyz("503", r -> r.status() == 503);
        assertThat(stalled.json().get("status").asText()).isEqualTo("not_ready");
        assertThat(stalled.json().get("store").asBoolean()).as("the store itself answers").isTrue();
        assertThat(stalled.json().get("store_writes").asBoolean()).isFalse();
        assertThat(stalled.json().get("store_writes_pending").asInt()).isEqualTo(1);
        assertThat(stalled.json().get("reason").asText())
                .startsWith("1 store write(s) waiting; the oldest, cdr of call call-stuck, for ")
                .endsWith(", longer than store.max_write_wait 0.3 s");

        down.set(false);
        AdminHarness.Response ready = awaitReadyz("200 again", r -> r.status() == 200);
        assertThat(ready.json().get("store_writes_pending").asInt()).isZero();
        assertThat(ready.json().has("reason")).isFalse();
        assertThat(h.store.callRecord("call-stuck")).isPresent();
    }
}
