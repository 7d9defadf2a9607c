package org.icgw.bench.policy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.icgw.policy.decision.CallAttempt;
import org.icgw.policy.decision.Decision;
import org.icgw.policy.decision.PolicyEngine;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.number.NumberClassifier;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.pin.PinVerifier;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.PostgresServer;
import org.icgw.policy.store.StoreConfig;
import org.icgw.policy.rate.RateCaps;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The policy decision over a store holding 10,000 inmates, each with a funded prepaid account for
 * its own callee, on the embedded H2 store and on PostgreSQL. Each operation decides one call of a
 * random inmate to its callee: terminal, lockdown, PIN (index lookup, proven-PIN memory), status,
 * hours, daily limit, number, blocks, PAN, account, funds.
 *
 * <p>{@link #argon2idVerify} measures, apart, the one slow hash an inmate's first call in a
 * process pays at the default cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseZGC"})
public class DecisionBenchmark {
    static final int INMATES = 10_000;
    static final String PEPPER = "bench-pepper-0123456789abcdef";
    static final Instant NOON = Instant.parse("2026-11-20T18:00:00Z");

    @Param({"h2", "postgresql"})
    public String store;

    private JdbcPolicyStore db;
    private PolicyEngine engine;
    private Path dataDir;
    private final SplittableRandom random = new SplittableRandom(7);
    private PinHasher slowHasher;
    private String slowHash;

    static String pin(int i) {
        return String.valueOf(100_000 + i);
    }

    static String callee(int i) {
        return "+1573635" + String.format("%04d", i);
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dataDir = Files.createTempDirectory("icgw-bench-");
        String url = store.equals("h2") ? StoreConfig.embeddedUrl(dataDir) : PostgresServer.get().newDatabase();
        Optional<String> user = store.equals("h2") ? Optional.empty() : Optional.of("postgres");
        db = PolicyStores.open(new StoreConfig(url, user, Optional.empty(), 8, "bench", RateCaps.standard()));
        PinHasher hasher = new PinHasher(PinHasher.Cost.FAST, PEPPER);
        db.saveFacility(new Facility("f1", "Bench Correctional Center", Optional.empty(), ZoneId.of("America/Chicago"),
                CallingHours.parse("07:00-22:00"), 15, 60, "+15735550199", RateTier.PRISON, DigitMap.DEFAULT, false,
                "US", "MO", List.of("+1573"), "0", 6, ThreeWayAction.DISCONNECT, false));
        for (CallClass c : CallClass.values()) {
            db.saveRate(new Rate("f1", c, 6, 60), NOON);
        }
        db.saveTerminal(new Terminal("t1", "f1", "phone-1", "secret", TerminalKind.PHONE, true, Optional.empty()));
        db.atomically(tx -> {
            for (int i = 0; i < INMATES; i++) {
                tx.saveInmate(new Inmate("i" + i, "f1", "Inmate " + i, Optional.empty(), hasher.hash(pin(i)),
                        hasher.index("f1", pin(i)), InmateStatus.ACTIVE, "en", 20, i % 2 == 0, List.of(callee(i))));
                tx.saveAccount(new Account("a" + i, AccountType.PREPAID, "Family " + i, Optional.empty(),
                        List.of(callee(i)), 0, 0, 0));
            }
        });
        for (int i = 0; i < INMATES; i++) {
            db.deposit("a" + i, 5_000, "bench", NOON.minusSeconds(3600));
        }
        engine = new PolicyEngine(db, NumberClassifier.standard(), new PinVerifier(hasher));
        for (int i = 0; i < INMATES; i++) {
            Decision d = engine.decide(new CallAttempt("phone-1", pin(i), callee(i), NOON));
            if (!d.allowed()) {
                throw new IllegalStateException("bench data: inmate " + i + " denied: " + d);
            }
        }
        slowHasher = new PinHasher(PinHasher.Cost.DEFAULT, PEPPER);
        slowHash = slowHasher.hash("135790");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        db.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Decision decide() {
        int i = random.nextInt(INMATES);
        return engine.decide(new CallAttempt("phone-1", pin(i), callee(i), NOON));
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 2)
    @Measurement(iterations = 10)
    public boolean argon2idVerify() {
        return slowHasher.verify("135790", slowHash);
    }
}
