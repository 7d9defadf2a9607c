package org.icgw.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RejectedWrite;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.SeedLoader;
import org.icgw.policy.store.StoreConfig;
import org.icgw.policy.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison record cannot stop the CDRs and settlements behind it: against the real embedded store
 * seeded with the demo, a CDR the store refuses is repaired or set aside, the writes behind it are
 * written and settled in order, the balance is exact to the cent, and only an unreachable store
 * (a switch that fails every write as an unreachable database would) keeps writes waiting.
 */
class DeferredWritesTest {
    private static final PinHasher PINS = new PinHasher(PinHasher.Cost.FAST, "deferred-test-pepper-0123");
    private static final Instant T0 = Instant.parse("2026-11-20T18:00:00Z");
    private static final String ACCOUNT = "acct-reyes-family";
    private static final String FACILITY = "osage-county-jail";
    private static final Duration RETRY = Duration.ofMillis(50);
    private static final Duration MAX_WAIT = Duration.ofMillis(300);

    @TempDir
    Path tmp;
    private JdbcPolicyStore store;
    private DeferredWrites writes;
    private Rate rate;
    private final AtomicBoolean down = new AtomicBoolean();
    /** The writes the store took, in the order it took them: {@code kind:call}. */
    private final List<String> taken = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = PolicyStores.open(StoreConfig.embedded(tmp.resolve("db"), "deferred"));
        SeedLoader.load(Path.of("..", "deploy", "seed", "demo.yaml"), store, PINS, T0.minusSeconds(3600));
        rate = store.rate(FACILITY, CallClass.LOCAL).orElseThrow();
        writes = new DeferredWrites(RETRY, MAX_WAIT, (w, reason) -> store.setAside(w.callId(), w.kind(), reason,
                w.content(), T0));
    }

    @AfterEach
    void close() {
        down.set(false);
        writes.close();
        store.close();
    }

    /**
     * {@code inner} behind the switch: while {@link #down} is set it fails as an unreachable
     * store does; once written it is noted in {@link #taken}. Its repair is switched the same way.
     */
    private StoreWrite switched(StoreWrite inner, Runnable onRepair) {
        return new StoreWrite() {
            @Override
            public String callId() {
                return inner.callId();
            }

            @Override
            public String kind() {
                return inner.kind();
            }

            @Override
            public void run() {
                if (down.get()) {
                    throw new StoreException("store unreachable (test switch)", null);
                }
                inner.run();
                taken.add(kind() + ":" + callId());
            }

            @Override
            public Optional<StoreWrite> repaired() {
                onRepair.run();
                return inner.repaired().map(r -> switched(r, () -> { }));
            }

            @Override
            public String content() {
                return inner.content();
            }
        };
    }

    private StoreWrite cdr(String callId, String dialed, long billedSeconds, long chargeCents) {
        return switched(StoreWrite.cdr(store, record(callId, dialed, billedSeconds, chargeCents)), () -> { });
    }

    private static CallRecord record(String callId, String dialed, long billedSeconds, long chargeCents) {
        return new CallRecord(callId, Optional.of(FACILITY), Optional.of("pod-a-phone-1"), Optional.of("inm-1001"),
                Optional.of(ACCOUNT), dialed, Optional.of("+15735550123"), Optional.of(CallClass.LOCAL), T0,
                Optional.of(T0.plusSeconds(5)), Optional.of(T0.plusSeconds(10)), T0.plusSeconds(200), billedSeconds,
                chargeCents, Disposition.COMPLETED, Optional.empty(), List.of(), Optional.empty());
    }

    /**
     * A settlement as a call makes it: increments reserved on the real account from acceptance,
     * then the ones talked in {@code talked} committed and the rest released.
     */
    private StoreWrite settlement(String callId, Duration talked) {
        CallBilling billing = new CallBilling(store.credit(), ACCOUNT, callId, rate, T0, Duration.ofMinutes(15),
                Duration.ofSeconds(60));
        billing.topUp(T0);
        Instant end = T0.plus(talked);
        CallBilling.Settlement plan = billing.plan(end, false);
        return switched(StoreWrite.unrepairable(callId, StoreWrite.SETTLEMENT, billing.describe(plan, end),
                () -> billing.apply(plan, end)), () -> { });
    }

    private long balance() {
        return store.account(ACCOUNT).orElseThrow().balanceCents();
    }

    private long reserved() {
        return store.account(ACCOUNT).orElseThrow().reservedCents();
    }

    private static void await(String what, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(giveUp);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    @Test
    void aPoisonCdrIsRepairedAndTheCdrsAndSettlementsBehindItAreWrittenInOrder() {
        StoreWrite settleA = settlement("call-a", Duration.ofSeconds(30));
        StoreWrite settleB = settlement("call-b", Duration.ofSeconds(90));
        assertThat(reserved()).as("two 5-cent increments held per call").isEqualTo(20);

        down.set(true);
        writes.submit(cdr("call-p", "5".repeat(200), 0, 0));
        writes.submit(settleA);
        writes.submit(cdr("call-a", "5735550123", 60, 5));
        writes.submit(settleB);
        writes.submit(cdr("call-b", "5735550123", 120, 10));
        assertThat(writes.pending()).isEqualTo(5);
        assertThat(taken).isEmpty();

        down.set(false);
        await("every write", () -> writes.pending() == 0);

        assertThat(taken).containsExactly("cdr:call-p", "settlement:call-a", "cdr:call-a", "settlement:call-b",
                "cdr:call-b");
        CallRecord poison = store.callRecord("call-p").orElseThrow();
        assertThat(poison.repaired()).isTrue();
        assertThat(poison.dialed()).isEqualTo("5".repeat(64));
        assertThat(store.callRecord("call-a").orElseThrow().repaired()).isFalse();
        assertThat(store.callRecord("call-a").orElseThrow().chargeCents()).isEqualTo(5);
        assertThat(store.callRecord("call-b").orElseThrow().chargeCents()).isEqualTo(10);
        assertThat(balance()).isEqualTo(2000 - 5 - 10);
        assertThat(reserved()).isZero();
        assertThat(writes.repaired()).isEqualTo(1);
        assertThat(writes.setAside()).isZero();
        assertThat(store.rejectedWrites(0, 10)).isEmpty();
    }

    @Test
    void aCdrRefusedEvenRepairedIsSetAsideAndTheWritesBehindItGoOnAtOnce() {
        StoreWrite settleC = settlement("call-c", Duration.ofSeconds(61));

        writes.submit(cdr("call-q", "5".repeat(200), -60, 0));
        assertThat(writes.pending()).isZero();
        writes.submit(settleC);
        writes.submit(cdr("call-c", "5735550123", 120, 10));
        writes.submit(cdr("call-n", "5735550123", -1, 0));

        assertThat(writes.pending()).isZero();
        assertThat(taken).containsExactly("settlement:call-c", "cdr:call-c");
        assertThat(store.callRecord("call-q")).isEmpty();
        assertThat(store.callRecord("call-n")).isEmpty();
        assertThat(store.callRecord("call-c").orElseThrow().chargeCents()).isEqualTo(10);
        assertThat(balance()).isEqualTo(2000 - 10);
        assertThat(reserved()).isZero();

        List<RejectedWrite> rejected = store.rejectedWrites(0, 10);
        assertThat(rejected).extracting(RejectedWrite::callId).containsExactlyInAnyOrder("call-q", "call-n");
        RejectedWrite q = rejected.stream().filter(r -> r.callId().equals("call-q")).findFirst().orElseThrow();
        assertThat(q.kind()).isEqualTo("cdr");
        assertThat(q.nodeId()).isEqualTo("deferred");
        assertThat(q.reason()).isEqualTo("ValidationException: dialed: at most 64 characters, got 200; repaired: "
                + "ValidationException: billed_seconds: must not be negative");
        assertThat(q.content()).startsWith("CallRecord[callId=call-q,").contains("dialed=" + "5".repeat(200));
        RejectedWrite n = rejected.stream().filter(r -> r.callId().equals("call-n")).findFirst().orElseThrow();
        assertThat(n.reason()).as("nothing to repair: set aside at once")
                .isEqualTo("ValidationException: billed_seconds: must not be negative");
        assertThat(writes.setAside()).isEqualTo(2);
        assertThat(writes.repaired()).isZero();
    }

    @Test
    void aWriteTheDatabaseItselfRefusesIsSetAsideNotRetried() {
        writes.submit(cdr("call-d", "5735550123", 60, 5));
        AtomicInteger runs = new AtomicInteger();
        String url = StoreConfig.embeddedUrl(tmp.resolve("db"));
        writes.submit(StoreWrite.unrepairable("call-d", StoreWrite.CDR, "a raw update", () -> {
            runs.incrementAndGet();
            try (Connection c = DriverManager.getConnection(url);
                 PreparedStatement ps = c.prepareStatement("UPDATE call_records SET dialed = ? WHERE call_id = ?")) {
                ps.setString(1, "9".repeat(65));
                ps.setString(2, "call-d");
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("store: " + e.getMessage(), e);
            }
        }));
        writes.submit(cdr("call-e", "5735550124", 60, 5));

        assertThat(runs).hasValue(1);
        assertThat(writes.pending()).isZero();
        assertThat(taken).containsExactly("cdr:call-d", "cdr:call-e");
        assertThat(store.callRecord("call-d").orElseThrow().dialed()).isEqualTo("5735550123");
        RejectedWrite r = store.rejectedWrites(0, 10).getFirst();
        assertThat(r.reason()).startsWith("StoreException: store: ").hasSizeLessThanOrEqualTo(
                DeferredWrites.MAX_REASON_CHARS + 3).doesNotContain("\n");
        assertThat(r.content()).isEqualTo("a raw update");
    }

    @Test
    void aRepairThatMeetsAnOutageWaitsInTheOriginalsPlace() {
        StoreWrite poison = switched(StoreWrite.cdr(store, record("call-r", "7".repeat(100), 60, 5)),
                () -> down.set(true));
        writes.submit(poison);
        writes.submit(cdr("call-s", "5735550123", 60, 5));
        assertThat(writes.pending()).isEqualTo(2);
        assertThat(writes.repaired()).isZero();

        down.set(false);
        await("both writes", () -> writes.pending() == 0);

        assertThat(taken).containsExactly("cdr:call-r", "cdr:call-s");
        assertThat(store.callRecord("call-r").orElseThrow().dialed()).isEqualTo("7".repeat(64));
        assertThat(store.callRecord("call-r").orElseThrow().repaired()).isTrue();
        assertThat(writes.repaired()).isEqualTo(1);
        assertThat(store.rejectedWrites(0, 10)).isEmpty();
    }

    @Test
    void aWriteWaitingLongerThanTheThresholdIsReportedUntilItDrains() {
        down.set(true);
        writes.submit(cdr("call-w", "5735550123", 60, 5));
        assertThat(writes.pending()).isEqualTo(1);
        Optional<String> early = writes.stalled();
        if (writes.oldestWait().orElseThrow().compareTo(MAX_WAIT) < 0) {
            assertThat(early).as("not yet past the threshold").isEmpty();
        }

        await("the threshold", () -> writes.stalled().isPresent());
        assertThat(writes.oldestWait().orElseThrow()).isGreaterThan(MAX_WAIT);
        assertThat(writes.stalled().orElseThrow()).startsWith("1 store write(s) waiting; the oldest, cdr of call call-w,"
                + " for ").endsWith(", longer than store.max_write_wait 0.3 s");

        down.set(false);
        await("the write", () -> writes.pending() == 0);
        assertThat(writes.stalled()).isEmpty();
        assertThat(writes.oldestWait()).isEmpty();
        assertThat(store.callRecord("call-w")).isPresent();
    }
}
