package org.icgw.policy.decision;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.Account;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.icgw.policy.model.PrivilegedNumber;
import org.icgw.policy.model.Rate;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.number.ClassifiedNumber;
import org.icgw.policy.number.NumberClassifier;
import org.icgw.policy.number.NumberPlan;
import org.icgw.policy.pin.PinLockout;
import org.icgw.policy.pin.PinVerifier;

/**
 * Decides each call by an ordered chain of checks, the first failing one giving the single deny
 * reason:
 *
 * <pre>
 * TERMINAL -> LOCKDOWN -> PIN -> STATUS -> HOURS -> DAILY_LIMIT -> NUMBER -> BLOCK -> PAN -> ACCOUNT -> FUNDS -> allow
 * unknown_    facility_   pin_locked  inmate_    outside_    daily_    invalid_number  number_  number_   no_account  insufficient_funds
 * terminal    lockdown    bad_pin     restricted calling_    limit     toll_free       blocked  not_      (or no      credit_limit
 *                                                hours                 premium                  allowed   rate)
 *                                                                      international_not_allowed
 * </pre>
 *
 * <p>A pure function of the attempt and what {@link PolicyView} returns: it writes nothing. The
 * gateway records wrong PINs and calls, and reserves the money of an allowed call.
 *
 * <p>Choices where the contract is silent: the account that pays is the dialed number's prepaid
 * account, else its direct-bill account, else the inmate's debit account, the first that can pay
 * one increment; privileged numbers pass the PAN list (legal calls are not limited by it) but not
 * blocks; a call class the facility has no rate for is denied {@code no_account} (nothing can pay
 * for it).
 */
public final class PolicyEngine {

    /** One link of the chain. */
    @FunctionalInterface
    interface Check {
        Optional<DenyReason> apply(Evaluation e);
    }

    private final PolicyView view;
    private final NumberClassifier numbers;
    private final PinVerifier pins;
    private final List<Check> callerChain;
    private final List<Check> callChain;

    public PolicyEngine(PolicyView view, NumberClassifier numbers, PinVerifier pins) {
        this.view = view;
        this.numbers = numbers;
        this.pins = pins;
        this.callerChain = List.of(this::terminal, this::lockdown, this::pin, this::status);
        List<Check> all = new ArrayList<>(callerChain);
        all.addAll(List.of(this::hours, this::dailyLimit, this::number, this::block, this::pan, this::account,
                this::funds));
        this.callChain = List.copyOf(all);
    }

    /** Authenticates the caller only (terminal, lockdown, PIN, status). */
    public CallerCheck authenticate(CallAttempt attempt) {
        Evaluation e = new Evaluation(attempt);
        Optional<Decision.Deny> deny = run(callerChain, e);
        return deny.<CallerCheck>map(CallerCheck.Denied::new)
                .orElseGet(() -> new CallerCheck.Authenticated(new Caller(e.terminal, e.facility, e.inmate)));
    }

    /** The whole decision. */
    public Decision decide(CallAttempt attempt) {
        Evaluation e = new Evaluation(attempt);
        Optional<Decision.Deny> deny = run(callChain, e);
        if (deny.isPresent()) {
            return deny.get();
        }
        boolean privileged = e.privileged.isPresent();
        ThreeWayAction action = privileged ? ThreeWayAction.LOG : e.facility.threeWayAction();
        return Decision.allow(new Caller(e.terminal, e.facility, e.inmate), e.number, e.payer, e.rate,
                maxSeconds(e), privileged, action);
    }

    /** Result of {@link #authenticate}. */
    public sealed interface CallerCheck {
        record Authenticated(Caller caller) implements CallerCheck {
        }

        record Denied(Decision.Deny deny) implements CallerCheck {
        }
    }

    private static Optional<Decision.Deny> run(List<Check> chain, Evaluation e) {
        for (Check check : chain) {
            Optional<DenyReason> reason = check.apply(e);
            if (reason.isPresent()) {
                return Optional.of(new Decision.Deny(reason.get(), Optional.ofNullable(e.terminal),
                        Optional.ofNullable(e.facility), Optional.ofNullable(e.inmate),
                        Optional.ofNullable(e.number)));
            }
        }
        return Optional.empty();
    }

    private static long maxSeconds(Evaluation e) {
        long limit = e.facility.maxCallMinutes() * 60L;
        long perIncrement = e.rate.centsPerIncrement();
        if (perIncrement == 0) {
            return limit;
        }
        long affordable = (e.payer.availableCents() / perIncrement) * e.rate.incrementSeconds();
        return Math.min(limit, affordable);
    }

    // The checks, in chain order.

    private Optional<DenyReason> terminal(Evaluation e) {
        Optional<Terminal> t = view.terminalByUsername(e.attempt.terminalUsername()).filter(Terminal::enabled);
        Optional<Facility> f = t.flatMap(x -> view.facility(x.facilityId()));
        if (f.isEmpty()) {
            return Optional.of(DenyReason.UNKNOWN_TERMINAL);
        }
        e.terminal = t.get();
        e.facility = f.get();
        return Optional.empty();
    }

    private Optional<DenyReason> lockdown(Evaluation e) {
        return e.facility.lockdown() ? Optional.of(DenyReason.FACILITY_LOCKDOWN) : Optional.empty();
    }

    private Optional<DenyReason> pin(Evaluation e) {
        Instant at = e.attempt.at();
        Instant since = at.minus(PinLockout.LOOK_BACK);
        if (PinLockout.lockedUntil(view.terminalPinFailuresSince(e.terminal.id(), since), at).isPresent()) {
            return Optional.of(DenyReason.PIN_LOCKED);
        }
        String pin = e.attempt.pin();
        Optional<Inmate> candidate = e.terminal.assignedInmateId().isPresent()
                ? e.terminal.assignedInmateId().flatMap(view::inmate)
                : view.inmateByPinIndex(e.facility.id(), pins.index(e.facility.id(), pin));
        if (candidate.isPresent() && e.terminal.assignedInmateId().isPresent()) {
            e.inmate = candidate.get();
            if (inmateLocked(candidate.get(), at, since)) {
                return Optional.of(DenyReason.PIN_LOCKED);
            }
        }
        if (candidate.isEmpty() || !candidate.get().facilityId().equals(e.facility.id())
                || !pins.matches(candidate.get(), pin)) {
            return Optional.of(DenyReason.BAD_PIN);
        }
        e.inmate = candidate.get();
        return inmateLocked(e.inmate, at, since) ? Optional.of(DenyReason.PIN_LOCKED) : Optional.empty();
    }

    private boolean inmateLocked(Inmate inmate, Instant at, Instant since) {
        return PinLockout.lockedUntil(view.inmatePinFailuresSince(inmate.id(), since), at).isPresent();
    }

    private Optional<DenyReason> status(Evaluation e) {
        return e.inmate.status() == InmateStatus.ACTIVE ? Optional.empty() : Optional.of(DenyReason.INMATE_RESTRICTED);
    }

    private Optional<DenyReason> hours(Evaluation e) {
        ZonedDateTime local = e.attempt.at().atZone(e.facility.timeZone());
        return e.facility.callingHours().allows(local.toLocalDateTime())
                ? Optional.empty() : Optional.of(DenyReason.OUTSIDE_CALLING_HOURS);
    }

    private Optional<DenyReason> dailyLimit(Evaluation e) {
        int limit = e.inmate.callsPerDay();
        if (limit <= 0) {
            return Optional.empty();
        }
        Instant dayStart = e.attempt.at().atZone(e.facility.timeZone()).toLocalDate()
                .atStartOfDay(e.facility.timeZone()).toInstant();
        return view.acceptedCallsSince(e.inmate.id(), dayStart) >= limit
                ? Optional.of(DenyReason.DAILY_LIMIT) : Optional.empty();
    }

    private Optional<DenyReason> number(Evaluation e) {
        Facility f = e.facility;
        e.number = numbers.classify(e.attempt.dialed(), new NumberPlan(f.region(), f.state(), f.localPrefixes()));
        return switch (e.number.kind()) {
            case INVALID -> Optional.of(DenyReason.INVALID_NUMBER);
            case TOLL_FREE -> Optional.of(DenyReason.TOLL_FREE);
            case PREMIUM -> Optional.of(DenyReason.PREMIUM);
            case INTERNATIONAL -> f.internationalAllowed()
                    ? Optional.empty() : Optional.of(DenyReason.INTERNATIONAL_NOT_ALLOWED);
            case GEOGRAPHIC -> Optional.empty();
        };
    }

    private Optional<DenyReason> block(Evaluation e) {
        return view.isBlocked(e.e164(), e.facility.id(), e.attempt.at())
                ? Optional.of(DenyReason.NUMBER_BLOCKED) : Optional.empty();
    }

    private Optional<DenyReason> pan(Evaluation e) {
        e.privileged = view.privilegedNumber(e.e164(), e.facility.id());
        boolean allowed = !e.inmate.panEnforced() || e.privileged.isPresent()
                || e.inmate.allowedNumbers().contains(e.e164());
        return allowed ? Optional.empty() : Optional.of(DenyReason.NUMBER_NOT_ALLOWED);
    }

    private Optional<DenyReason> account(Evaluation e) {
        List<Account> candidates = new ArrayList<>(view.accountsForNumber(e.e164()));
        candidates.sort(Comparator.comparingInt(a -> a.type() == AccountType.PREPAID ? 0 : 1));
        view.debitAccount(e.inmate.id()).ifPresent(candidates::add);
        Optional<Rate> rate = e.number.callClass().flatMap(c -> view.rate(e.facility.id(), c));
        if (candidates.isEmpty() || rate.isEmpty()) {
            return Optional.of(DenyReason.NO_ACCOUNT);
        }
        e.candidates = candidates;
        e.rate = rate.get();
        return Optional.empty();
    }

    private Optional<DenyReason> funds(Evaluation e) {
        long needed = e.rate.centsPerIncrement();
        for (Account a : e.candidates) {
            if (a.availableCents() >= needed && a.availableCents() >= 0) {
                e.payer = a;
                return Optional.empty();
            }
        }
        boolean onlyCredit = e.candidates.stream().allMatch(a -> a.type() == AccountType.DIRECT_BILL);
        return Optional.of(onlyCredit ? DenyReason.CREDIT_LIMIT : DenyReason.INSUFFICIENT_FUNDS);
    }

    /** What the chain has learned so far about one attempt; lives for one decision. */
    static final class Evaluation {
        final CallAttempt attempt;
        Terminal terminal;
        Facility facility;
        Inmate inmate;
        ClassifiedNumber number;
        Optional<PrivilegedNumber> privileged = Optional.empty();
        List<Account> candidates = List.of();
        Rate rate;
        Account payer;

        Evaluation(CallAttempt attempt) {
            this.attempt = attempt;
        }

        String e164() {
            return number.e164().orElseThrow();
        }
    }
}
