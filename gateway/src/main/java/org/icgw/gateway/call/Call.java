package org.icgw.gateway.call;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.icgw.media.DtmfMethod;
import org.icgw.media.Leg;
import org.icgw.media.LegConfig;
import org.icgw.media.MediaEvent;
import org.icgw.media.MediaSession;
import org.icgw.media.MediaSessionConfig;
import org.icgw.media.announce.Prompt;
import org.icgw.media.announce.PromptPlayer;
import org.icgw.media.announce.ToneGenerator;
import org.icgw.policy.decision.CallAttempt;
import org.icgw.policy.decision.Caller;
import org.icgw.policy.decision.Decision;
import org.icgw.policy.decision.PolicyEngine;
import org.icgw.policy.model.AccountType;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.BlockScope;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.DigitMap;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.Terminal;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.icgw.policy.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One inmate call, from the answered INVITE to the CDR, written as a script that reads top to
 * bottom: answer, PIN, number, decision, trunk, callee menu, bridge, settle.
 *
 * <p>The script runs on its own virtual thread, the call's one owner: it alone touches the
 * call's state, timers, billing and media session. The SIP layer and the media plane hand it
 * {@link CallEvent}s through {@link #post}, which it takes in order; a wait with a deadline is
 * the call's only timer. An event that the current state does not handle is counted and logged.
 *
 * <p>When the call ends under the script (a hangup mid-prompt), the script unwinds with the
 * private {@link Over} signal, which carries the disposition to {@link #run}'s settlement.
 */
public final class Call implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Call.class);
    private static final Duration PROMPT_SLACK = Duration.ofSeconds(2);
    private static final int MAX_NUMBER_DIGITS = 15;

    private final String id;
    private final InmateLeg inmate;
    private final TrunkLeg trunk;
    private final CallServices services;
    private final DeferredWrites deferred;
    private final CallSettings settings;
    private final BlockingQueue<CallEvent> mailbox = new LinkedBlockingQueue<>();
    private final Map<CallState, AtomicLong> unhandled = new EnumMap<>(CallState.class);
    private final Set<Leg> rfc4733Seen = EnumSet.noneOf(Leg.class);
    private final Set<Leg> legsUp = EnumSet.noneOf(Leg.class);
    private volatile CallState state = CallState.NEW;

    private MediaSession media;
    private String language = "en";
    private String pin = "";
    private volatile String dialed;
    private Terminal terminal;
    private Facility facility;
    private volatile Inmate inmateRecord;
    private volatile Decision.Allow allowed;
    private Optional<DenyReason> denyReason = Optional.empty();
    private final Instant startedAt;
    private Instant calleeAnsweredAt;
    private volatile Instant acceptedAt;
    private CallBilling billing;
    private CallBilling.Settlement settlement = new CallBilling.Settlement(0, 0);
    private boolean settled;
    private final List<ThreeWayDetection> detections = new ArrayList<>();
    private Optional<Path> recording = Optional.empty();

    /** Raised inside the script when the call is over before the script reached its end. */
    private static final class Over extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Disposition disposition;

        Over(Disposition disposition) {
            super(disposition.wireName(), null, false, false);
            this.disposition = disposition;
        }
    }

    public Call(String id, InmateLeg inmate, TrunkLeg trunk, CallServices services, DeferredWrites deferred) {
        this.id = id;
        this.inmate = inmate;
        this.trunk = trunk;
        this.services = services;
        this.deferred = deferred;
        this.settings = services.settings();
        this.dialed = inmate.dialed();
        this.startedAt = services.clock().instant();
    }

    /** Hands the call an event; any thread. */
    public void post(CallEvent event) {
        mailbox.add(event);
    }

    /**
     * Where the legs post their news: the call's mailbox alone, not the call. A leg outlives its
     * call (the B2BUA keeps answering for its Call-IDs a while), and what it keeps must not hold
     * the call's media session and script state after the call ended.
     */
    public Consumer<CallEvent> inbox() {
        return mailbox::add;
    }

    public String id() {
        return id;
    }

    public CallState state() {
        return state;
    }

    /** When the inmate's INVITE arrived. */
    public Instant startedAt() {
        return startedAt;
    }

    /** When the callee accepted, for the live duration of an active call. */
    public Optional<Instant> acceptedAt() {
        return Optional.ofNullable(acceptedAt);
    }

    /** The inmate, once the PIN is proven. */
    public Optional<Inmate> inmate() {
        return Optional.ofNullable(inmateRecord);
    }

    /** The dialed digits (after the access code, the number entered). */
    public String dialed() {
        return dialed;
    }

    /** The normalised number, once the policy allowed the call. */
    public Optional<String> number() {
        return Optional.ofNullable(allowed).flatMap(a -> a.number().e164());
    }

    /**
     * What the call has cost so far: the increments begun since acceptance at the call's rate, the
     * last partial one counted whole, as settlement would charge were the call to end at
     * {@code now}; 0 unless the call is bridged. Readable from any thread (the admin API's list).
     */
    public long chargeSoFarCents(Instant now) {
        Instant accepted = acceptedAt;
        Decision.Allow allow = allowed;
        if (state != CallState.BRIDGED || accepted == null || allow == null) {
            return 0;
        }
        return allow.rate().chargeFor(Math.ceilDiv(Math.max(0, Duration.between(accepted, now).toMillis()), 1000L));
    }

    /** Events that arrived in a state that does not handle them, per state. */
    public Map<CallState, Long> unhandledEvents() {
        Map<CallState, Long> out = new EnumMap<>(CallState.class);
        unhandled.forEach((s, n) -> out.put(s, n.get()));
        return out;
    }

    @Override
    public void run() {
        MDC.put("call", id);
        services.metrics().callStarted();
        Disposition disposition;
        try {
            disposition = script();
        } catch (Over over) {
            disposition = over.disposition;
        } catch (StoreException e) {
            LOG.error("store unreachable: the call is refused (fail closed): {}", e.getMessage());
            disposition = failClosed();
        } catch (RuntimeException e) {
            LOG.error("call failed", e);
            disposition = Disposition.TRUNK_FAILURE;
            endBoth();
        }
        finish(disposition);
        // Events the legs post from now on are never read; the media session is closed.
        mailbox.clear();
        media = null;
        MDC.remove("call");
    }

    // ------------------------------------------------------------------ the script

    private Disposition script() {
        media = services.media().open(
                MediaSessionConfig.defaults(settings.mediaAddress())
                        .withLegs(LegConfig.inmateDefaults(), LegConfig.calleeDefaults())
                        .withMediaTimeout(settings.mediaTimeout()),
                this::onMedia);
        MediaDescription theirs = inmate.remote();
        media.setRemote(Leg.A, theirs.rtp(), theirs.payloadType(), theirs.telephoneEventPt());
        inmate.answer(local(Leg.A, theirs));
        legsUp.add(Leg.A);
        moveTo(CallState.PIN_ENTRY);

        Optional<Caller> caller = enterPin();
        if (caller.isEmpty()) {
            return Disposition.DENIED;
        }
        facility = caller.get().facility();
        terminal = caller.get().terminal();
        inmateRecord = caller.get().inmate();
        language = inmateRecord.language();

        if (dialed.equals(facility.accessCode())) {
            moveTo(CallState.NUMBER_ENTRY);
            dialed = collectDigits(Leg.A, "enter_number", MAX_NUMBER_DIGITS);
        }

        moveTo(CallState.DECIDING);
        Decision decision = services.policy().decide(new CallAttempt(inmate.terminalUsername(), pin, dialed, now()));
        if (decision instanceof Decision.Deny deny) {
            denyReason = Optional.of(deny.reason());
            closeWith(deny.reason().wireName());
            return Disposition.DENIED;
        }
        allowed = (Decision.Allow) decision;
        return dialAndBridge();
    }

    /** PIN entry with retries: the caller, or empty once the call has been denied and closed. */
    private Optional<Caller> enterPin() {
        for (int attempt = 1; ; attempt++) {
            pin = collectDigits(Leg.A, attempt == 1 ? "enter_pin" : "invalid_pin_retry", pinLength());
            PolicyEngine.CallerCheck check = services.policy()
                    .authenticate(new CallAttempt(inmate.terminalUsername(), pin, dialed, now()));
            if (check instanceof PolicyEngine.CallerCheck.Authenticated ok) {
                return Optional.of(ok.caller());
            }
            Decision.Deny deny = ((PolicyEngine.CallerCheck.Denied) check).deny();
            deny.terminal().ifPresent(t -> terminal = t);
            deny.facility().ifPresent(f -> facility = f);
            deny.inmate().ifPresent(i -> inmateRecord = i);
            if (deny.reason() != DenyReason.BAD_PIN) {
                denyReason = Optional.of(deny.reason());
                closeWith(deny.reason().wireName());
                return Optional.empty();
            }
            deny.terminal().ifPresent(t -> services.store().recordPinFailure(t.id(),
                    deny.inmate().map(Inmate::id), now()));
            if (attempt >= settings.pinAttempts()) {
                denyReason = Optional.of(DenyReason.BAD_PIN);
                closeWith("too_many_attempts");
                return Optional.empty();
            }
        }
    }

    private int pinLength() {
        return facility != null ? facility.pinLength() : Facility.DEFAULT_PIN_LENGTH;
    }

    private Disposition dialAndBridge() {
        moveTo(CallState.DIALING);
        media.play(Leg.A, prompt("please_hold"), false);
        trunk.dial(allowed.number().e164().orElseThrow(), facility.ani(), local(Leg.B, inmate.remote()), inbox());
        Instant giveUp = now().plus(settings.noAnswer());
        while (true) {
            CallEvent e = next(giveUp);
            switch (e) {
                case null -> {
                    trunk.end();
                    closeWith("no_answer");
                    return Disposition.NO_ANSWER;
                }
                case CallEvent.TrunkAnswered answered -> {
                    calleeAnsweredAt = now();
                    services.metrics().setupTime(Duration.between(startedAt, calleeAnsweredAt));
                    legsUp.add(Leg.B);
                    MediaDescription callee = answered.remote();
                    media.setRemote(Leg.B, callee.rtp(), callee.payloadType(), callee.telephoneEventPt());
                    // The menu's frame (and the seconds of spliced announcement it holds) is gone
                    // before the conversation starts: a bridged call keeps no prompt audio.
                    Disposition menu = calleeMenu();
                    return menu != null ? menu : bridged();
                }
                case CallEvent.TrunkFailed failed -> {
                    boolean busy = failed.status() == 486;
                    closeWith(busy ? "busy" : "could_not_complete");
                    return busy ? Disposition.BUSY : Disposition.TRUNK_FAILURE;
                }
                case CallEvent.PromptFinished p when p.leg() == Leg.A ->
                        media.playFrames(Leg.A, ToneGenerator.ringbackUs());
                case CallEvent.TrunkRinging ringing -> LOG.debug("callee ringing ({})", ringing.status());
                case CallEvent.InmateHangup h -> {
                    legsUp.remove(Leg.A);
                    trunk.end();
                    return Disposition.CALLER_ABANDONED;
                }
                case CallEvent.ThreeWaySignal s -> {
                    if (threeWay(s.signal())) {
                        trunk.end();
                        closeWith("three_way_disconnect");
                        return Disposition.THREE_WAY_DETECTED;
                    }
                }
                default -> common(e);
            }
        }
    }

    /** The callee's menu: the disposition when the call ends in it, null when the callee accepts. */
    private Disposition calleeMenu() {
        moveTo(CallState.CALLEE_MENU);
        media.playFrames(Leg.A, PromptPlayer.looped(prompt("please_hold"), 2_000));
        DigitMap digits = facility.digitMap();
        Prompt announcement = Prompt.concat(calleeAnnouncement(), prompt("callee_menu"));
        int rounds = 0;
        media.play(Leg.B, announcement, false);
        Instant deadline = null;
        while (true) {
            CallEvent e = next(deadline);
            boolean missed = false;
            switch (e) {
                case null -> missed = true;
                case CallEvent.Digit d when d.leg() == Leg.B -> {
                    media.stopPlay(Leg.B);
                    char c = d.digit();
                    if (c == digits.accept()) {
                        return null;
                    } else if (c == digits.refuse()) {
                        closeWith("refused");
                        return Disposition.REFUSED;
                    } else if (c == digits.block()) {
                        services.store().addBlock(allowed.number().e164().orElseThrow(), BlockScope.FACILITY,
                                Optional.of(facility.id()), BlockOrigin.CALLEE, now(), "callee pressed "
                                        + c + " on call " + id);
                        closeWith("blocked");
                        return Disposition.BLOCKED_BY_CALLEE;
                    } else if (c == digits.rate()) {
                        media.play(Leg.B, Prompt.concat(rateQuote(), prompt("callee_menu")), false);
                        deadline = null;
                    } else {
                        missed = true;
                    }
                }
                case CallEvent.PromptFinished p when p.leg() == Leg.B -> deadline = now().plus(settings.menuDigitWait());
                case CallEvent.CalleeHangup h -> {
                    legsUp.remove(Leg.B);
                    closeWith("refused");
                    return Disposition.REFUSED;
                }
                case CallEvent.InmateHangup h -> {
                    legsUp.remove(Leg.A);
                    trunk.end();
                    legsUp.remove(Leg.B);
                    return Disposition.CALLER_ABANDONED;
                }
                case CallEvent.ThreeWaySignal s -> {
                    if (threeWay(s.signal())) {
                        closeWith("three_way_disconnect");
                        return Disposition.THREE_WAY_DETECTED;
                    }
                }
                default -> common(e);
            }
            if (missed) {
                rounds++;
                if (rounds >= settings.menuRounds()) {
                    closeWith("refused");
                    return Disposition.REFUSED;
                }
                media.play(Leg.B, prompt("callee_menu"), false);
                deadline = null;
            }
        }
    }

    private Disposition bridged() {
        moveTo(CallState.BRIDGED);
        acceptedAt = now();
        billing = new CallBilling(services.store().credit(), allowed.account().id(), id, allowed.rate(), acceptedAt,
                Duration.ofMinutes(facility.maxCallMinutes()), settings.warningBefore());
        billing.topUp(acceptedAt);
        if (!billing.funded()) {
            closeWith("balance_exhausted");
            return Disposition.BALANCE_EXHAUSTED;
        }
        media.stopPlay(Leg.A);
        media.stopPlay(Leg.B);
        media.bridge();
        LOG.debug("audio bridged");
        // The inmate's keypad no longer matters once bridged (a flash still comes as RFC 4733);
        // the callee's digits and dial tone are three-way signals.
        media.detectInband(Leg.A, false, false);
        if (allowed.record()) {
            Path file = settings.recordings().resolve(id + ".wav");
            try {
                media.record(file);
                recording = Optional.of(file);
            } catch (IOException e) {
                LOG.error("cannot record to {}: the call goes on unrecorded", file, e);
            }
        }
        Instant timeLimit = acceptedAt.plus(Duration.ofMinutes(facility.maxCallMinutes()));
        Duration interval = Duration.ofSeconds(Math.max(1, facility.announcementIntervalSeconds()));
        Instant nextAnnouncement = acceptedAt.plus(interval);
        boolean warned = false;
        while (true) {
            Instant now = now();
            Instant end = billing.moneyEnds().filter(m -> m.isBefore(timeLimit)).orElse(timeLimit);
            boolean byMoney = end.isBefore(timeLimit);
            if (!now.isBefore(end)) {
                closeWith(byMoney ? "balance_exhausted" : "time_limit", end);
                return byMoney ? Disposition.BALANCE_EXHAUSTED : Disposition.TIME_LIMIT;
            }
            Instant warnAt = end.minus(settings.warningBefore());
            if (!warned && !now.isBefore(warnAt)) {
                warned = true;
                media.mixIntoBoth(prompt("one_minute_warning"), 1.0f);
            }
            if (!now.isBefore(nextAnnouncement)) {
                media.mixIntoBoth(prompt("periodic_announcement"), settings.announcementGain());
                services.metrics().announcement();
                nextAnnouncement = nextAnnouncement.plus(interval);
            }
            Instant boundary = billing.nextBoundary(now);
            Instant wake = earliest(end, boundary, nextAnnouncement, warned ? null : warnAt);
            CallEvent e = next(wake);
            switch (e) {
                case null -> billing.topUp(now());
                case CallEvent.InmateHangup h -> {
                    legsUp.remove(Leg.A);
                    endBoth();
                    return Disposition.COMPLETED;
                }
                case CallEvent.CalleeHangup h -> {
                    legsUp.remove(Leg.B);
                    endBoth();
                    return Disposition.COMPLETED;
                }
                case CallEvent.ThreeWaySignal s -> {
                    if (threeWay(s.signal())) {
                        closeWith("three_way_disconnect");
                        return Disposition.THREE_WAY_DETECTED;
                    }
                }
                case CallEvent.Digit d when d.leg() == Leg.B -> {
                    if (threeWay("callee_dtmf")) {
                        closeWith("three_way_disconnect");
                        return Disposition.THREE_WAY_DETECTED;
                    }
                }
                case CallEvent.MediaTimeout t -> {
                    LOG.info("no RTP from leg {} for {}", t.leg(), settings.mediaTimeout());
                    settle(now(), true);
                    endBoth();
                    return Disposition.MEDIA_TIMEOUT;
                }
                case CallEvent.InvestigatorCutoff cut -> {
                    LOG.info("cut off by investigator {}", cut.by());
                    endBoth();
                    return Disposition.INVESTIGATOR_DISCONNECT;
                }
                case CallEvent.Shutdown shutdown -> {
                    LOG.info("gateway stopping: the drain time is over, closing the call");
                    closeWith("goodbye");
                    return Disposition.COMPLETED;
                }
                default -> common(e);
            }
        }
    }

    // ------------------------------------------------------------------ pieces of the script

    /**
     * Plays a prompt to {@code leg} and collects up to {@code max} digits: ends at {@code #}, at
     * {@code max}, or after the digit timeout without a digit once the prompt has played. A digit
     * pressed during the prompt stops it and counts (barge-in).
     */
    private String collectDigits(Leg leg, String promptName, int max) {
        StringBuilder digits = new StringBuilder();
        if (promptName.equals("invalid_pin_retry")) {
            media.play(leg, Prompt.concat(prompt("invalid_pin"), prompt("enter_pin")), false);
        } else {
            media.play(leg, prompt(promptName), false);
        }
        Instant deadline = null;
        while (true) {
            CallEvent e = next(deadline);
            switch (e) {
                case null -> {
                    return digits.toString();
                }
                case CallEvent.Digit d when d.leg() == leg -> {
                    media.stopPlay(leg);
                    if (d.digit() == '#') {
                        return digits.toString();
                    }
                    digits.append(d.digit());
                    if (digits.length() >= max) {
                        return digits.toString();
                    }
                    deadline = now().plus(settings.digitTimeout());
                }
                case CallEvent.PromptFinished p when p.leg() == leg -> {
                    if (deadline == null) {
                        deadline = now().plus(settings.digitTimeout());
                    }
                }
                default -> common(e);
            }
        }
    }

    /** Handles what any state handles alike; otherwise counts and logs the event as unhandled. */
    private void common(CallEvent e) {
        switch (e) {
            case CallEvent.InmateHangup h -> {
                legsUp.remove(Leg.A);
                endBoth();
                throw new Over(Disposition.CALLER_ABANDONED);
            }
            case CallEvent.CalleeHangup h -> legsUp.remove(Leg.B);
            case CallEvent.InvestigatorCutoff cut -> {
                LOG.info("cut off by investigator {} in state {}", cut.by(), state);
                endBoth();
                throw new Over(Disposition.INVESTIGATOR_DISCONNECT);
            }
            case CallEvent.Shutdown s -> {
                endBoth();
                throw new Over(acceptedAt != null ? Disposition.COMPLETED : Disposition.CALLER_ABANDONED);
            }
            case CallEvent.MediaTimeout t when acceptedAt == null && t.leg() == Leg.A -> {
                endBoth();
                throw new Over(Disposition.CALLER_ABANDONED);
            }
            default -> {
                unhandled.computeIfAbsent(state, s -> new AtomicLong()).incrementAndGet();
                LOG.debug("{} not handled in state {}", e, state);
            }
        }
    }

    /**
     * Records a three-way-call detection with the facility's action (privileged numbers only log).
     *
     * @return whether the call must now be disconnected
     */
    private boolean threeWay(String signal) {
        ThreeWayAction action = allowed != null ? allowed.threeWayAction() : ThreeWayAction.LOG;
        detections.add(new ThreeWayDetection(signal, now(), action));
        services.metrics().threeWay(signal);
        LOG.info("three-way attempt detected: {} (action {})", signal, action);
        if (action == ThreeWayAction.WARN) {
            media.mixIntoBoth(prompt("three_way_warning"), 1.0f);
        }
        return action == ThreeWayAction.DISCONNECT;
    }

    private void closeWith(String promptName) {
        closeWith(promptName, null);
    }

    /**
     * Plays a closing prompt to every leg still up, waits for it (bounded), and ends the legs. For
     * a bridged call, billing stops at {@code billedUntil} (or now).
     */
    private void closeWith(String promptName, Instant billedUntil) {
        if (state == CallState.BRIDGED) {
            settle(billedUntil != null ? billedUntil : now(), false);
        }
        moveTo(CallState.CLOSING);
        media.unbridge();
        Prompt p = prompt(promptName);
        Set<Leg> waiting = EnumSet.noneOf(Leg.class);
        waiting.addAll(legsUp);
        for (Leg leg : waiting) {
            media.play(leg, p, false);
        }
        Instant deadline = now().plusMillis(p.durationMillis()).plus(PROMPT_SLACK);
        while (!waiting.isEmpty()) {
            CallEvent e = next(deadline);
            switch (e) {
                case null -> waiting.clear();
                case CallEvent.PromptFinished f -> waiting.remove(f.leg());
                case CallEvent.InmateHangup h -> {
                    legsUp.remove(Leg.A);
                    waiting.remove(Leg.A);
                }
                case CallEvent.CalleeHangup h -> {
                    legsUp.remove(Leg.B);
                    waiting.remove(Leg.B);
                }
                default -> unhandled.computeIfAbsent(state, s -> new AtomicLong()).incrementAndGet();
            }
        }
        endBoth();
    }

    private void endBoth() {
        if (legsUp.remove(Leg.B) || state == CallState.DIALING) {
            trunk.end();
        }
        legsUp.remove(Leg.A);
        inmate.end(480);
    }

    /** Settles money, stops the media, writes the CDR. */
    private void finish(Disposition disposition) {
        Instant end = now();
        settle(end, disposition == Disposition.MEDIA_TIMEOUT);
        if (state != CallState.ENDED) {
            moveTo(CallState.ENDED);
        }
        if (media != null) {
            media.stop();
            try {
                media.closeFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("media session did not close in time", e);
            }
        }
        CallRecord cdr = new CallRecord(id, Optional.ofNullable(facility).map(Facility::id),
                Optional.ofNullable(terminal).map(Terminal::id), Optional.ofNullable(inmateRecord).map(Inmate::id),
                Optional.ofNullable(allowed).map(a -> a.account().id()), dialed,
                Optional.ofNullable(allowed).flatMap(a -> a.number().e164()),
                Optional.ofNullable(allowed).flatMap(a -> a.number().callClass()), startedAt,
                Optional.ofNullable(calleeAnsweredAt), Optional.ofNullable(acceptedAt), end,
                settlement.billedSeconds(), settlement.chargeCents(), disposition,
                disposition == Disposition.DENIED ? denyReason : Optional.empty(),
                detections, recording.map(Path::toString));
        deferred.submit(StoreWrite.cdr(services.store(), cdr));
        services.metrics().callEnded(disposition);
        LOG.info("call ended: {} after {} s billed, {} cents", disposition.wireName(), settlement.billedSeconds(),
                settlement.chargeCents());
    }

    /** Settles the money once: the first settlement of a call is the one that counts. */
    private void settle(Instant end, boolean dropPartial) {
        if (billing != null && !settled) {
            settled = true;
            CallBilling.Settlement plan = billing.plan(end, dropPartial);
            settlement = plan;
            deferred.submit(StoreWrite.unrepairable(id, StoreWrite.SETTLEMENT, billing.describe(plan, end),
                    () -> billing.apply(plan, end)));
        }
    }

    /**
     * The store failed before the call was bridged: whoever is still on the line hears that the
     * system is unavailable, and the call ends uncharged. A call is only placed when the store has
     * said yes, so this is the contract's fail-closed refusal; the CDR waits for the store.
     */
    private Disposition failClosed() {
        if (state == CallState.BRIDGED || state == CallState.CLOSING || state == CallState.ENDED) {
            endBoth();
            return acceptedAt != null ? Disposition.COMPLETED : Disposition.TRUNK_FAILURE;
        }
        if (media != null && !legsUp.isEmpty()) {
            try {
                closeWith("system_unavailable");
            } catch (Over over) {
                LOG.debug("hung up during the closing prompt");
            }
        } else {
            endBoth();
        }
        return Disposition.TRUNK_FAILURE;
    }

    // ------------------------------------------------------------------ helpers

    private Prompt calleeAnnouncement() {
        boolean collect = allowed.account().type() == AccountType.DIRECT_BILL;
        Prompt who = inmateRecord.nameRecording().flatMap(this::recordingPrompt).orElseGet(() -> prompt("an_inmate"));
        Prompt where = facility.namePrompt().flatMap(this::recordingPrompt)
                .orElseGet(() -> prompt("a_correctional_facility"));
        return Prompt.concat(prompt(collect ? "collect_call_from" : "prepaid_call_from"), who, prompt("at"), where,
                prompt("correctional_notice"));
    }

    private Optional<Prompt> recordingPrompt(String file) {
        try (var in = java.nio.file.Files.newInputStream(Path.of(file))) {
            return Optional.of(org.icgw.media.announce.PromptLibrary.read(in, file));
        } catch (IOException e) {
            LOG.warn("name recording {} unreadable: using the generic phrase", file);
            return Optional.empty();
        }
    }

    /** "The rate is N cents per minute", with N spoken digit by digit. */
    private Prompt rateQuote() {
        List<Prompt> parts = new ArrayList<>();
        parts.add(prompt("rate_is"));
        for (char c : String.valueOf(allowed.rate().centsPerMinute()).toCharArray()) {
            parts.add(prompt("digit_" + c));
        }
        parts.add(prompt("cents_per_minute"));
        return Prompt.concat(parts.toArray(Prompt[]::new));
    }

    private Prompt prompt(String name) {
        return services.prompts().get(language, name).orElseGet(() -> {
            LOG.warn("no prompt {}/{}", language, name);
            return Prompt.silence(200);
        });
    }

    private MediaDescription local(Leg leg, MediaDescription peer) {
        return new MediaDescription(new InetSocketAddress(settings.mediaAddress(), media.localRtpPort(leg)),
                peer.payloadType(), peer.telephoneEventPt() >= 0 ? peer.telephoneEventPt() : 101,
                MediaDescription.Direction.SENDRECV);
    }

    private void onMedia(MediaEvent event) {
        switch (event) {
            case MediaEvent.DtmfDetected d -> {
                if (d.method() == DtmfMethod.RFC4733) {
                    rfc4733Seen.add(d.leg());
                } else if (rfc4733Seen.contains(d.leg())) {
                    return;
                }
                CallEvent.DigitMethod method = d.method() == DtmfMethod.RFC4733
                        ? CallEvent.DigitMethod.RFC4733 : CallEvent.DigitMethod.INBAND;
                services.metrics().digit(method);
                post(new CallEvent.Digit(d.leg(), d.digit(), method));
            }
            case MediaEvent.FlashDetected f -> post(new CallEvent.ThreeWaySignal(f.leg(), "rfc4733_flash"));
            case MediaEvent.DialToneDetected t -> {
                if (t.leg() == Leg.B) {
                    post(new CallEvent.ThreeWaySignal(Leg.B, "dial_tone"));
                }
            }
            case MediaEvent.MediaTimeout t -> post(new CallEvent.MediaTimeout(t.leg()));
            case MediaEvent.PromptFinished p -> post(new CallEvent.PromptFinished(p.leg()));
        }
    }

    private CallEvent next(Instant deadline) {
        try {
            if (deadline == null) {
                return mailbox.take();
            }
            long waitMillis = Duration.between(now(), deadline).toMillis();
            return waitMillis <= 0 ? mailbox.poll() : mailbox.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CallEvent.Shutdown();
        }
    }

    private static Instant earliest(Instant... times) {
        Instant min = null;
        for (Instant t : times) {
            if (t != null && (min == null || t.isBefore(min))) {
                min = t;
            }
        }
        return min;
    }

    private void moveTo(CallState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("call " + id + ": " + state + " -> " + next + " is not allowed");
        }
        LOG.debug("{} -> {}", state, next);
        state = next;
    }

    private Instant now() {
        return services.clock().instant();
    }
}
