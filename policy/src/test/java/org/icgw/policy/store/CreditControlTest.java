package org.icgw.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.icgw.policy.store.Fixtures.NOW;
import static org.icgw.policy.store.Fixtures.debit;
import static org.icgw.policy.store.Fixtures.directBill;
import static org.icgw.policy.store.Fixtures.facility;
import static org.icgw.policy.store.Fixtures.inmate;
import static org.icgw.policy.store.Fixtures.prepaid;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reservations hold money before it is spent; many calls on one account, in one gateway process
 * or two, never overdraw it. On embedded H2 and on PostgreSQL.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(TestDb.class)
class CreditControlTest {
    private static final String F = "fac-1";
    private static final String NUMBER = "+15735550123";
    private static final int THREADS = 50;
    /** One billing increment in cents; every reservation and every charge is a multiple of it. */
    private static final long STEP = 7;

    @Parameter
    TestDb testDb;

    @TempDir
    Path tmp;

    private TestDb.Database db;
    private final List<JdbcPolicyStore> stores = new ArrayList<>();

    @BeforeEach
    void open() {
        db = testDb.fresh(tmp);
        JdbcPolicyStore store = open("node-a");
        store.saveFacility(facility(F));
        store.saveInmate(inmate("i1", F, "424242", List.of()));
    }

    @AfterEach
    void close() {
        stores.forEach(JdbcPolicyStore::close);
    }

    private JdbcPolicyStore open(String node) {
        JdbcPolicyStore s = db.open(node);
        stores.add(s);
        return s;
    }

    /**
     * The account's initial money is 1000 increments plus {@code rest} cents: 50 threads settle
     * calls on it until none can reserve one more increment. Every charge is a whole number of
     * increments, so exactly {@code rest} cents stay available at the end.
     */
    private Account account(AccountType type, long rest) {
        long money = 1000 * STEP + rest;
        return switch (type) {
            case PREPAID -> prepaid("acc", money, NUMBER);
            case DEBIT -> debit("acc", "i1", money);
            case DIRECT_BILL -> directBill("acc", money, NUMBER);
        };
    }

    @ParameterizedTest
    @EnumSource(AccountType.class)
    void manyThreadsOnOneAccountSpendExactlyTheMoney(AccountType type) throws Exception {
        long rest = type == AccountType.DEBIT ? 0 : 2;
        Account initial = account(type, rest);
        stores.getFirst().saveAccount(initial);
        long charged = hammer(initial, List.of(stores.getFirst()));
        assertSettled(initial, rest, charged);
    }

    @ParameterizedTest
    @EnumSource(value = AccountType.class, names = {"PREPAID", "DIRECT_BILL"})
    void twoGatewayProcessesOnOneAccountSpendExactlyTheMoney(AccountType type) throws Exception {
        Account initial = account(type, 5);
        stores.getFirst().saveAccount(initial);
        JdbcPolicyStore second = open("node-b");
        long charged = hammer(initial, List.of(stores.getFirst(), second));
        assertSettled(initial, 5, charged);
        assertThat(second.credit().releaseAbandoned()).isZero();
    }

    private void assertSettled(Account initial, long rest, long charged) {
        Account end = stores.getFirst().account("acc").orElseThrow();
        assertThat(end.reservedCents()).isZero();
        assertThat(end.availableCents()).isEqualTo(rest);
        if (initial.type() == AccountType.DIRECT_BILL) {
            assertThat(end.balanceCents()).isEqualTo(initial.creditLimitCents() - rest).isEqualTo(charged);
        } else {
            assertThat(end.balanceCents()).isEqualTo(rest).isEqualTo(initial.balanceCents() - charged);
        }
        assertThat(stores.getFirst().credit().releaseAbandoned()).isZero();
    }

    /**
     * Each thread plays calls: reserve two increments (or, when that fails, one), then spend all,
     * part or none of it, until not even one increment can be reserved. Meanwhile the account is
     * read and must never be overdrawn. Returns the sum of the charges.
     */
    private long hammer(Account initial, List<JdbcPolicyStore> gateways) throws Exception {
        AtomicLong charged = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Integer>> calls = new ArrayList<>();
        try {
            for (int t = 0; t < THREADS; t++) {
                CreditControl credit = gateways.get(t % gateways.size()).credit();
                String callId = "call-" + t;
                calls.add(pool.submit(() -> {
                    go.await();
                    int settled = 0;
                    for (int i = 0; i < 100_000; i++) {
                        Optional<Reservation> r = credit.reserve("acc", callId, 2 * STEP, NOW);
                        if (r.isEmpty()) {
                            r = credit.reserve("acc", callId, STEP, NOW);
                        }
                        if (r.isEmpty()) {
                            return settled;
                        }
                        if (i % 5 == 4) {
                            credit.release(r.get(), NOW);
                        } else {
                            long used = i % 3 == 2 ? r.get().cents() - STEP : r.get().cents();
                            credit.commit(r.get(), used, NOW);
                            charged.addAndGet(used);
                        }
                        settled++;
                    }
                    throw new AssertionError("thread " + callId + " never ran out of money");
                }));
            }
            go.countDown();
            JdbcPolicyStore reader = gateways.getFirst();
            while (!calls.stream().allMatch(Future::isDone)) {
                Account now = reader.account("acc").orElseThrow();
                assertThat(now.availableCents()).isNotNegative();
                assertThat(now.reservedCents()).isNotNegative();
                if (initial.type() == AccountType.DIRECT_BILL) {
                    assertThat(now.balanceCents()).isLessThanOrEqualTo(initial.creditLimitCents());
                } else {
                    assertThat(now.balanceCents()).isNotNegative();
                }
            }
            int settled = 0;
            for (Future<Integer> f : calls) {
                settled += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(settled).isGreaterThanOrEqualTo(500);
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        return charged.get();
    }

    @Test
    void commitSpendsPartAndReturnsTheRest() {
        JdbcPolicyStore store = stores.getFirst();
        store.saveAccount(prepaid("acc", 100, NUMBER));
        store.saveAccount(directBill("bill", 100, "+15735550124"));
        CreditControl credit = store.credit();

        Reservation r = credit.reserve("acc", "call-1", 60, NOW).orElseThrow();
        assertThat(r).isEqualTo(new Reservation(r.id(), "acc", "call-1", 60));
        assertThat(credit.reserve("acc", "call-2", 41, NOW)).isEmpty();
        Reservation r2 = credit.reserve("acc", "call-2", 40, NOW).orElseThrow();
        assertThat(store.account("acc").orElseThrow().availableCents()).isZero();
        credit.commit(r, 25, NOW);
        assertThat(store.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(75L, 40L);
        credit.commit(r, 25, NOW);
        assertThat(store.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(75L, 40L);
        credit.release(r2, NOW);
        assertThat(store.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(75L, 0L);

        Reservation b = credit.reserve("bill", "call-3", 100, NOW).orElseThrow();
        assertThat(credit.reserve("bill", "call-4", 1, NOW)).isEmpty();
        credit.commit(b, 70, NOW);
        assertThat(store.account("bill")).get().extracting(Account::balanceCents, Account::availableCents)
                .containsExactly(70L, 30L);

        assertThat(credit.reserve("ghost", "call-5", 1, NOW)).isEmpty();
        Reservation r3 = credit.reserve("acc", "call-6", 10, NOW).orElseThrow();
        assertThatThrownBy(() -> credit.commit(r3, 11, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> credit.commit(r3, -1, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> credit.reserve("acc", "call-7", 0, NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(75L, 10L);
    }

    @Test
    void aRestartedNodeReturnsWhatItsDeadRunHeld() {
        JdbcPolicyStore gw1 = stores.getFirst();
        gw1.saveAccount(prepaid("acc", 1000, NUMBER));
        gw1.saveAccount(directBill("bill", 1000, "+15735550124"));
        gw1.credit().reserve("acc", "call-1", 100, NOW).orElseThrow();
        Reservation held = gw1.credit().reserve("acc", "call-2", 200, NOW).orElseThrow();
        gw1.credit().reserve("bill", "call-3", 300, NOW).orElseThrow();
        JdbcPolicyStore gw2 = open("node-b");
        Reservation other = gw2.credit().reserve("acc", "call-4", 50, NOW).orElseThrow();
        gw1.close();
        stores.remove(gw1);

        // node-a comes back: opening returns its three reservations, not node-b's.
        JdbcPolicyStore again = open("node-a");
        assertThat(again.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(1000L, 50L);
        assertThat(again.account("bill")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(0L, 0L);
        assertThat(again.credit().releaseAbandoned()).isZero();

        // A late settlement of a returned reservation moves no money.
        again.credit().commit(held, 200, NOW);
        assertThat(again.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(1000L, 50L);

        // Called directly, it returns how many it returned.
        again.credit().reserve("acc", "call-5", 10, NOW).orElseThrow();
        again.credit().reserve("acc", "call-6", 20, NOW).orElseThrow();
        assertThat(again.credit().releaseAbandoned()).isEqualTo(2);
        gw2.credit().commit(other, 50, NOW);
        assertThat(again.account("acc")).get().extracting(Account::balanceCents, Account::reservedCents)
                .containsExactly(950L, 0L);
    }
}
