package org.icgw.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.RateTier;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.TerminalKind;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.number.NumberClassifier;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.pin.PinVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The decision table: every deny reason of the contract, each reached alone, and the allow path. */
class PolicyEngineTest {
    static final PinHasher HASHER = new PinHasher(PinHasher.Cost.FAST, "decision-test-pepper-42");
    /** Noon in Jefferson City (CST, UTC-6), a Friday. */
    static final Instant NOON = Instant.parse("2026-11-20T18:00:00Z");
    static final String PIN = "482913";
    static final String LOCAL = "(573) 635-1234";
    static final String LOCAL_E164 = "+15736351234";
    static final String INTERSTATE = "1-212-736-5000";
    static final String INTERSTATE_E164 = "+12127365000";
    static final String LAWYER = "+13146221000";

    static Facility facility(boolean lockdown) {
        return new Facility("f1", "Osage River Correctional Center", Optional.empty(), ZoneId.of("America/Chicago"),
                CallingHours.parse("07:00-22:00"), 15, 60, "+15735550199", RateTier.PRISON, DigitMap.DEFAULT,
                lockdown, "US", "MO", List.of("+1573"), "0", 6, ThreeWayAction.DISCONNECT, false);
    }

    static Inmate inmate(String id, String pin, InmateStatus status, int perDay, boolean pan, List<String> allowed) {
        return new Inmate(id, "f1", "Inmate " + id, Optional.empty(), HASHER.hash(pin), HASHER.index("f1", pin),
                status, "en", perDay, pan, allowed);
    }

    static Account prepaid(String id, String number, long cents) {
        return new Account(id, AccountType.PREPAID, "Family", Optional.empty(), List.of(number), cents, 0, 0);
    }

    /** A world in which the standard call (terminal t1, PIN, local number, noon) is allowed. */
    static InMemoryPolicyView world() {
        InMemoryPolicyView v = new InMemoryPolicyView();
        v.facilities.put("f1", facility(false));
        v.terminals.put("t1", new Terminal("t1", "f1", "phone-a1", "secret", TerminalKind.PHONE, true, Optional.empty()));
        v.inmates.put("i1", inmate("i1", PIN, InmateStatus.ACTIVE, 0, false, List.of()));
        v.accounts.put("a1", prepaid("a1", LOCAL_E164, 1_000));
        v.accounts.put("a2", prepaid("a2", INTERSTATE_E164, 1_000));
        for (CallClass c : CallClass.values()) {
            v.rates.add(new Rate("f1", c, c == CallClass.LOCAL ? 5 : 10, 60));
        }
        return v;
    }

    static Decision decide(InMemoryPolicyView v, String user, String pin, String dialed, Instant at) {
        PolicyEngine engine = new PolicyEngine(v, NumberClassifier.standard(), new PinVerifier(HASHER));
        return engine.decide(new CallAttempt(user, pin, dialed, at));
    }

    static Decision decide(InMemoryPolicyView v) {
        return decide(v, "phone-a1", PIN, LOCAL, NOON);
    }

    static Arguments deny(DenyReason reason, Consumer<InMemoryPolicyView> change) {
        return Arguments.of(reason, change, "phone-a1", PIN, LOCAL, NOON);
    }

    static Arguments deny(DenyReason reason, Consumer<InMemoryPolicyView> change, String user, String pin,
                          String dialed, Instant at) {
        return Arguments.of(reason, change, user, pin, dialed, at);
    }

    static List<Instant> failures(Instant end, int count) {
        List<Instant> out = new ArrayList<>();
        for (int i = count; i > 0; i--) {
            out.add(end.minus(Duration.ofMinutes(i)));
        }
        return out;
    }

    static Stream<Arguments> denials() {
        Consumer<InMemoryPolicyView> none = v -> { };
        return Stream.of(
                deny(DenyReason.UNKNOWN_TERMINAL, none, "nobody", PIN, LOCAL, NOON),
                deny(DenyReason.UNKNOWN_TERMINAL, v -> v.terminals.put("t1",
                        new Terminal("t1", "f1", "phone-a1", "s", TerminalKind.PHONE, false, Optional.empty()))),
                deny(DenyReason.FACILITY_LOCKDOWN, v -> v.facilities.put("f1", facility(true))),
                deny(DenyReason.PIN_LOCKED, v -> v.terminalFailures.put("t1", failures(NOON, 5))),
                deny(DenyReason.PIN_LOCKED, v -> v.inmateFailures.put("i1", failures(NOON, 5))),
                deny(DenyReason.BAD_PIN, none, "phone-a1", "111111", LOCAL, NOON),
                deny(DenyReason.BAD_PIN, none, "phone-a1", "48291", LOCAL, NOON),
                deny(DenyReason.BAD_PIN, none, "phone-a1", "48a913", LOCAL, NOON),
                deny(DenyReason.INMATE_RESTRICTED, v -> v.inmates.put("i1",
                        inmate("i1", PIN, InmateStatus.RESTRICTED, 0, false, List.of()))),
                deny(DenyReason.INMATE_RESTRICTED, v -> v.inmates.put("i1",
                        inmate("i1", PIN, InmateStatus.SEGREGATION, 0, false, List.of()))),
                deny(DenyReason.INMATE_RESTRICTED, v -> v.inmates.put("i1",
                        inmate("i1", PIN, InmateStatus.RELEASED, 0, false, List.of()))),
                deny(DenyReason.OUTSIDE_CALLING_HOURS, none, "phone-a1", PIN, LOCAL,
                        Instant.parse("2026-11-21T04:30:00Z")),
                deny(DenyReason.OUTSIDE_CALLING_HOURS, none, "phone-a1", PIN, LOCAL,
                        Instant.parse("2026-11-20T12:59:59Z")),
                deny(DenyReason.DAILY_LIMIT, v -> {
                    v.inmates.put("i1", inmate("i1", PIN, InmateStatus.ACTIVE, 2, false, List.of()));
                    v.acceptedCalls.put("i1", List.of(NOON.minusSeconds(3600), NOON.minusSeconds(7200)));
                }),
                deny(DenyReason.INVALID_NUMBER, none, "phone-a1", PIN, "12345", NOON),
                deny(DenyReason.INVALID_NUMBER, none, "phone-a1", PIN, "911", NOON),
                deny(DenyReason.TOLL_FREE, none, "phone-a1", PIN, "1-800-225-5288", NOON),
                deny(DenyReason.TOLL_FREE, none, "phone-a1", PIN, "(888) 555-0142", NOON),
                deny(DenyReason.PREMIUM, none, "phone-a1", PIN, "1-900-234-5678", NOON),
                deny(DenyReason.INTERNATIONAL_NOT_ALLOWED, none, "phone-a1", PIN, "011 44 20 7946 0958", NOON),
                deny(DenyReason.INTERNATIONAL_NOT_ALLOWED, none, "phone-a1", PIN, "+52 55 5128 1234", NOON),
                deny(DenyReason.NUMBER_BLOCKED, v -> v.blocks.add(new Block(1, LOCAL_E164, BlockScope.FACILITY,
                        Optional.of("f1"), BlockOrigin.CALLEE, NOON.minusSeconds(60), Optional.empty(), ""))),
                deny(DenyReason.NUMBER_BLOCKED, v -> v.blocks.add(new Block(1, LOCAL_E164, BlockScope.ALL,
                        Optional.empty(), BlockOrigin.STAFF, NOON.minusSeconds(60), Optional.empty(), ""))),
                deny(DenyReason.NUMBER_NOT_ALLOWED, v -> v.inmates.put("i1",
                        inmate("i1", PIN, InmateStatus.ACTIVE, 0, true, List.of(INTERSTATE_E164)))),
                deny(DenyReason.NO_ACCOUNT, v -> v.accounts.remove("a1")),
                deny(DenyReason.INSUFFICIENT_FUNDS, v -> v.accounts.put("a1", prepaid("a1", LOCAL_E164, 4))),
                deny(DenyReason.INSUFFICIENT_FUNDS, v -> v.accounts.put("a1",
                        new Account("a1", AccountType.PREPAID, "F", Optional.empty(), List.of(LOCAL_E164), 10, 0, 6))),
                deny(DenyReason.CREDIT_LIMIT, v -> v.accounts.put("a1", new Account("a1", AccountType.DIRECT_BILL,
                        "F", Optional.empty(), List.of(LOCAL_E164), 2_498, 2_500, 0))));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("denials")
    void eachDenyReasonIsReachedAlone(DenyReason reason, Consumer<InMemoryPolicyView> change, String user, String pin,
                                      String dialed, Instant at) {
        InMemoryPolicyView v = world();
        change.accept(v);
        Decision d = decide(v, user, pin, dialed, at);
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(((Decision.Deny) d).reason()).isEqualTo(reason);
    }

    @ParameterizedTest
    @EnumSource(DenyReason.class)
    void theTableCoversEveryReasonOfTheContract(DenyReason reason) {
        assertThat(denials().map(a -> a.get()[0])).contains(reason);
    }

    @Test
    void allowCarriesWhoPaysHowMuchAndForHowLong() {
        Decision d = decide(world());
        assertThat(d).isInstanceOf(Decision.Allow.class);
        Decision.Allow a = (Decision.Allow) d;
        assertThat(a.caller().inmate().id()).isEqualTo("i1");
        assertThat(a.caller().terminal().id()).isEqualTo("t1");
        assertThat(a.number().e164()).contains(LOCAL_E164);
        assertThat(a.number().callClass()).contains(CallClass.LOCAL);
        assertThat(a.account().id()).isEqualTo("a1");
        assertThat(a.rate().centsPerMinute()).isEqualTo(5);
        assertThat(a.maxSeconds()).isEqualTo(15 * 60);
        assertThat(a.record()).isTrue();
        assertThat(a.privileged()).isFalse();
        assertThat(a.threeWayAction()).isEqualTo(ThreeWayAction.DISCONNECT);
    }

    @Test
    void moneyShortensTheCallToWholeIncrements() {
        InMemoryPolicyView v = world();
        v.accounts.put("a2", prepaid("a2", INTERSTATE_E164, 47));
        Decision.Allow a = (Decision.Allow) decide(v, "phone-a1", PIN, INTERSTATE, NOON);
        assertThat(a.number().callClass()).contains(CallClass.INTERSTATE);
        assertThat(a.rate().centsPerMinute()).isEqualTo(10);
        assertThat(a.maxSeconds()).isEqualTo(4 * 60);
    }

    @Test
    void prepaidPaysBeforeDirectBillAndDebitPaysLast() {
        InMemoryPolicyView v = world();
        v.accounts.put("a0", new Account("a0", AccountType.DIRECT_BILL, "F", Optional.empty(), List.of(LOCAL_E164),
                0, 5_000, 0));
        v.accounts.put("d1", new Account("d1", AccountType.DEBIT, "Inmate", Optional.of("i1"), List.of(), 500, 0, 0));
        assertThat(((Decision.Allow) decide(v)).account().id()).isEqualTo("a1");
        v.accounts.put("a1", prepaid("a1", LOCAL_E164, 0));
        assertThat(((Decision.Allow) decide(v)).account().id()).isEqualTo("a0");
        v.accounts.remove("a0");
        assertThat(((Decision.Allow) decide(v)).account().id()).isEqualTo("d1");
    }

    @Test
    void privilegedNumbersPassThePanListAreNotRecordedAndOnlyLogThreeWay() {
        InMemoryPolicyView v = world();
        v.inmates.put("i1", inmate("i1", PIN, InmateStatus.ACTIVE, 0, true, List.of()));
        v.privileged.add(new PrivilegedNumber(LAWYER, Optional.empty(), "Public defender"));
        v.accounts.put("d1", new Account("d1", AccountType.DEBIT, "Inmate", Optional.of("i1"), List.of(), 500, 0, 0));
        Decision.Allow a = (Decision.Allow) decide(v, "phone-a1", PIN, "314-622-1000", NOON);
        assertThat(a.privileged()).isTrue();
        assertThat(a.record()).isFalse();
        assertThat(a.threeWayAction()).isEqualTo(ThreeWayAction.LOG);
        assertThat(a.number().callClass()).contains(CallClass.INTRASTATE);
    }

    @Test
    void aLiftedBlockNoLongerApplies() {
        InMemoryPolicyView v = world();
        v.blocks.add(new Block(1, LOCAL_E164, BlockScope.FACILITY, Optional.of("f1"), BlockOrigin.CALLEE,
                NOON.minusSeconds(600), Optional.of(NOON.minusSeconds(60)), ""));
        assertThat(decide(v).allowed()).isTrue();
    }

    @Test
    void aBlockForAnotherFacilityDoesNotApply() {
        InMemoryPolicyView v = world();
        v.blocks.add(new Block(1, LOCAL_E164, BlockScope.FACILITY, Optional.of("f2"), BlockOrigin.STAFF,
                NOON.minusSeconds(600), Optional.empty(), ""));
        assertThat(decide(v).allowed()).isTrue();
    }

    @Test
    void theFirstFailingCheckGivesTheReason() {
        InMemoryPolicyView v = world();
        v.inmates.put("i1", inmate("i1", PIN, InmateStatus.RESTRICTED, 0, true, List.of()));
        v.accounts.clear();
        Decision d = decide(v, "phone-a1", PIN, "1-800-225-5288", Instant.parse("2026-11-21T04:30:00Z"));
        assertThat(((Decision.Deny) d).reason()).isEqualTo(DenyReason.INMATE_RESTRICTED);
        assertThat(((Decision.Deny) d).inmate().map(Inmate::id)).contains("i1");
    }

    @Test
    void anAssignedTabletChecksItsInmateAndNamesItOnABadPin() {
        InMemoryPolicyView v = world();
        v.terminals.put("t2", new Terminal("t2", "f1", "tablet-7", "s", TerminalKind.TABLET, true, Optional.of("i1")));
        Decision.Deny d = (Decision.Deny) decide(v, "tablet-7", "000000", LOCAL, NOON);
        assertThat(d.reason()).isEqualTo(DenyReason.BAD_PIN);
        assertThat(d.inmate().map(Inmate::id)).contains("i1");
        assertThat(d.terminal().map(Terminal::id)).contains("t2");
        assertThat(decide(v, "tablet-7", PIN, LOCAL, NOON).allowed()).isTrue();
    }

    @Test
    void authenticateStopsAtTheCallersChecks() {
        InMemoryPolicyView v = world();
        v.accounts.clear();
        PolicyEngine engine = new PolicyEngine(v, NumberClassifier.standard(), new PinVerifier(HASHER));
        PolicyEngine.CallerCheck ok = engine.authenticate(new CallAttempt("phone-a1", PIN, "", NOON));
        assertThat(ok).isInstanceOf(PolicyEngine.CallerCheck.Authenticated.class);
        assertThat(((PolicyEngine.CallerCheck.Authenticated) ok).caller().inmate().id()).isEqualTo("i1");
        PolicyEngine.CallerCheck bad = engine.authenticate(new CallAttempt("phone-a1", "000000", "", NOON));
        assertThat(((PolicyEngine.CallerCheck.Denied) bad).deny().reason()).isEqualTo(DenyReason.BAD_PIN);
    }
}
