package org.icgw.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.icgw.media.Leg;
import org.icgw.media.MediaEngine;
import org.icgw.media.MediaEngineConfig;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.policy.decision.PolicyEngine;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.number.NumberClassifier;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.pin.PinVerifier;
import org.icgw.policy.store.CdrQuery;
import org.icgw.policy.store.CreditControl;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.SeedLoader;
import org.icgw.policy.store.StoreConfig;
import org.icgw.policy.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract's "store unreachable": new calls are refused with a prompt (fail closed), and a
 * call in progress finishes and settles when the store returns. The store is the real embedded
 * one behind a switch that makes every call to it fail as an unreachable database would.
 */
class StoreOutageCallTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final PinHasher PINS = new PinHasher(PinHasher.Cost.FAST, "outage-test-pepper-0123");
    /** Noon in the demo facility's time zone, inside its calling hours. */
    private static final Instant NOON = Instant.parse("2026-11-20T18:00:00Z");

    @TempDir
    Path tmp;
    private JdbcPolicyStore real;
    private MediaEngine media;
    private CallManager calls;
    private final AtomicBoolean down = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong offsetSeconds = new AtomicLong();
    /** Noon plus whatever the test has advanced it by. */
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return NOON.plusSeconds(offsetSeconds.get());
        }
    };

    /** A view of {@code target} that throws StoreException while {@link #down} is set. */
    @SuppressWarnings("unchecked")
    private <T> T switchable(Class<T> type, T target) {
        InvocationHandler h = (proxy, method, args) -> {
            if (down.get()) {
                failures.incrementAndGet();
                throw new StoreException("store unreachable (test switch)", null);
            }
            try {
                Object result = method.invoke(target, args);
                return method.getName().equals("credit") ? switchable(CreditControl.class, (CreditControl) result)
                        : result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    @BeforeEach
    void start() throws IOException {
        real = PolicyStores.open(StoreConfig.embedded(tmp.resolve("db"), "outage"));
        SeedLoader.load(Path.of("..", "deploy", "seed", "demo.yaml"), real, PINS, NOON.minusSeconds(3600));
        PolicyStore store = switchable(PolicyStore.class, real);
        media = new MediaEngine(new MediaEngineConfig(1, 48000, 48199, false));
        Path recordings = Files.createDirectories(tmp.resolve("recordings"));
        calls = new CallManager(new CallServices(
                new PolicyEngine(store, NumberClassifier.standard(), new PinVerifier(PINS)), store, media,
                PromptLibrary.fromClasspath("prompts", getClass().getClassLoader()),
                CallSettings.defaults(LOOPBACK, recordings), CallMetrics.NONE, clock));
    }

    @AfterEach
    void stop() {
        down.set(false);
        calls.shutdown(Duration.ZERO);
        media.close();
        real.close();
    }

    /** The terminal's side: the gateway answers it; the test sees whether it was hung up. */
    private static final class Inmate implements InmateLeg {
        final AtomicBoolean answered = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();

        @Override
        public String terminalUsername() {
            return "pod-a-1";
        }

        @Override
        public String dialed() {
            return "5735550123";
        }

        @Override
        public MediaDescription remote() {
            return new MediaDescription(new InetSocketAddress(LOOPBACK, 9), 0, 101, MediaDescription.Direction.SENDRECV);
        }

        @Override
        public void answer(MediaDescription local) {
            answered.set(true);
        }

        @Override
        public void end(int statusIfUnanswered) {
            ended.set(true);
        }
    }

    /** The trunk: the callee answers at once; the test sees whether it was dialed and hung up. */
    private static final class Trunk implements TrunkLeg {
        final AtomicInteger dialed = new AtomicInteger();
        final AtomicBoolean ended = new AtomicBoolean();

        @Override
        public void dial(String e164, String ani, MediaDescription local, Consumer<CallEvent> events) {
            dialed.incrementAndGet();
            events.accept(new CallEvent.TrunkAnswered(new MediaDescription(new InetSocketAddress(LOOPBACK, 11), 0, 101,
                    MediaDescription.Direction.SENDRECV)));
        }

        @Override
        public void end() {
            ended.set(true);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(giveUp);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private static void pin(Call call) {
        for (char d : "424242".toCharArray()) {
            call.post(new CallEvent.Digit(Leg.A, d, CallEvent.DigitMethod.SIP_INFO));
        }
    }

    @Test
    void aNewCallIsRefusedWithAPromptAndItsRecordWaitsForTheStore() {
        down.set(true);
        Inmate inmate = new Inmate();
        Trunk trunk = new Trunk();
        Call call = calls.start(inmate, trunk);
        pin(call);
        await("the refusal", () -> call.state() == CallState.ENDED);
        assertThat(inmate.answered).isTrue();
        assertThat(inmate.ended).isTrue();
        assertThat(trunk.dialed).hasValue(0);
        assertThat(failures.get()).isPositive();
        await("the CDR to be kept", () -> calls.pendingStoreWrites() == 1);

        down.set(false);
        await("the CDR written once the store is back", () -> calls.pendingStoreWrites() == 0);
        CallRecord cdr = real.callRecord(call.id()).orElseThrow();
        assertThat(cdr.disposition()).isEqualTo(Disposition.TRUNK_FAILURE);
        assertThat(cdr.chargeCents()).isZero();
        assertThat(real.account("acct-reyes-family").orElseThrow().balanceCents()).isEqualTo(2000);
    }

    @Test
    void aBridgedCallFinishesAndSettlesWhenTheStoreReturns() {
        Inmate inmate = new Inmate();
        Trunk trunk = new Trunk();
        Call call = calls.start(inmate, trunk);
        pin(call);
        await("the callee menu", () -> call.state() == CallState.CALLEE_MENU);
        call.post(new CallEvent.Digit(Leg.B, '1', CallEvent.DigitMethod.SIP_INFO));
        await("the bridge", () -> call.state() == CallState.BRIDGED);
        await("two increments held", () -> real.account("acct-reyes-family").orElseThrow().reservedCents() == 10);

        offsetSeconds.set(30);
        down.set(true);
        call.post(new CallEvent.InmateHangup());
        await("the end of the call", () -> call.state() == CallState.ENDED);
        assertThat(trunk.ended).isTrue();
        await("the settlement and the CDR to be kept", () -> calls.pendingStoreWrites() == 2);
        assertThat(real.callRecords(CdrQuery.all())).isEmpty();

        down.set(false);
        await("both written once the store is back", () -> calls.pendingStoreWrites() == 0);
        CallRecord cdr = real.callRecord(call.id()).orElseThrow();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.billedSeconds()).as("30 s talked: one 60 s increment").isEqualTo(60);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(real.account("acct-reyes-family").orElseThrow().balanceCents()).isEqualTo(1995);
        assertThat(real.account("acct-reyes-family").orElseThrow().reservedCents()).isZero();
        assertThat(List.of(cdr.callId())).containsExactly(call.id());
    }
}
