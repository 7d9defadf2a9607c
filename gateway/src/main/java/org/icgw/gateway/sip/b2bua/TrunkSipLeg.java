package org.icgw.gateway.sip.b2bua;

import gov.nist.javax.sip.TransactionExt;
import gov.nist.javax.sip.ResponseEventExt;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sip.ClientTransaction;
import javax.sip.InvalidArgumentException;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.Header;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.call.MediaDescription;
import org.icgw.gateway.call.TrunkLeg;
import org.icgw.gateway.sip.InboundRequest;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.media.Leg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The callee's leg: the gateway's INVITE toward the trunks, as a UAC, with failover; each attempt
 * keeps the dialog its tagged responses set up ({@link LegDialog}) and the flow of the trunk the
 * INVITE went to.
 *
 * <pre>
 *   IDLE ──dial()──► CALLING (attempt on trunk i) ──2xx: ACK──► ANSWERED ──BYE either way──► ENDED
 *                      │ 1xx ─► TrunkRinging (181 ─► three-way signal)
 *                      │ 486 ─► TrunkFailed(busy), no failover               ─► ENDED
 *                      │ 5xx/6xx, Timer B, no response in time ─► trunk i+1, or TrunkFailed(last)
 *                      │ 3xx ─► three-way signal, TrunkFailed(3xx); other 4xx ─► TrunkFailed
 *                      └ end(): CANCEL once a provisional came (RFC 3261 §9.1); a 2xx that
 *                               crosses it, or that answers an abandoned attempt, gets ACK + BYE
 * </pre>
 *
 * The transitions are declared in {@link State#NEXT} and checked on every change. A request from
 * the callee's side must match the dialog of its attempt (Call-ID, both tags) and come from that
 * trunk (over UDP its address and port, over TCP its address on any port, since a trunk may open a
 * connection of its own); otherwise it is refused 481 (an ACK dropped) and changes nothing. A
 * CANCEL is always refused: this leg has no INVITE of the trunk's to cancel. While the trunk
 * rings, the dialog is early and follows the latest tagged provisional response. Responses count
 * only from the trunk's address; a 2xx with another tag than the confirmed one is a fork, ACKed
 * and hung up (RFC 3261 §13.2.2.4).
 *
 * <p>In the dialog: BYE ends the leg ({@link CallEvent.CalleeHangup}); INFO digits and flashes go to
 * the call; a re-INVITE or UPDATE is answered with the gateway's SDP in the mirrored direction and
 * reported as a three-way signal when it holds; REFER is refused 403 and reported. Session timers
 * (RFC 4028): when the 2xx names us refresher, we re-INVITE every half interval; when it names
 * the trunk, a missing refresh ends the call (§10).
 */
final class TrunkSipLeg implements TrunkLeg, SipLeg {

    private static final Logger log = LoggerFactory.getLogger(TrunkSipLeg.class);
    private static final Pattern SESSION_EXPIRES = Pattern.compile("^\\s*(\\d+)\\s*(?:;(.*))?$");

    enum State {
        IDLE, CALLING, ANSWERED, ENDED;

        /** Where each state may go next: the diagram above. */
        static final Map<State, Set<State>> NEXT = new EnumMap<>(State.class);

        static {
            NEXT.put(IDLE, EnumSet.of(CALLING, ENDED));
            NEXT.put(CALLING, EnumSet.of(ANSWERED, ENDED));
            NEXT.put(ANSWERED, EnumSet.of(ENDED));
            NEXT.put(ENDED, EnumSet.noneOf(State.class));
        }

        boolean canMoveTo(State next) {
            return NEXT.get(this).contains(next);
        }
    }

    /** One INVITE to one trunk: its own Call-ID, transaction, flow and dialog. */
    private static final class Attempt {
        final Trunk trunk;
        final String callId;
        final long cseq;
        Request request;
        ClientTransaction invite;
        /** Where the INVITE went; empty when the transport could not tell (then nothing matches). */
        Optional<Flow> flow = Optional.empty();
        /** Set by the first tagged response; early until a 2xx confirms it. */
        LegDialog dialog;
        boolean provisional;
        boolean cancelled;
        boolean byeSent;
        Request ack;
        ScheduledFuture<?> noResponse;

        Attempt(Trunk trunk, String callId, long cseq) {
            this.trunk = trunk;
            this.callId = callId;
            this.cseq = cseq;
        }
    }

    private final B2bua sip;
    private final List<Trunk> trunks;
    private final Duration responseTimeout;
    private final List<Attempt> attempts = new ArrayList<>();
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    private State state = State.IDLE;
    private Attempt current;
    private int nextTrunk;
    private int lastStatus = Response.REQUEST_TIMEOUT;
    private String e164;
    private String ani;
    private MediaDescription local;
    private Consumer<CallEvent> events = e -> { };
    private long sdpVersion = 1;
    private MediaDescription.Direction lastDirection = MediaDescription.Direction.SENDRECV;
    private int sessionExpires;
    private boolean weRefresh;
    private ScheduledFuture<?> sessionTimer;

    TrunkSipLeg(B2bua sip, List<Trunk> trunks, Duration responseTimeout) {
        this.sip = sip;
        this.trunks = trunks;
        this.responseTimeout = responseTimeout;
    }

    @Override
    public void dial(String number, String callerId, MediaDescription ours, Consumer<CallEvent> news) {
        sip.run(() -> {
            if (state != State.IDLE) {
                return;
            }
            e164 = number.startsWith("+") ? number : "+" + number;
            ani = callerId;
            local = ours;
            events = news;
            moveTo(State.CALLING);
            tryNextTrunk();
        });
    }

    @Override
    public void end() {
        sip.run(() -> {
            switch (state) {
                case IDLE -> moveTo(State.ENDED);
                case CALLING -> {
                    Attempt a = current;
                    abandon(a);
                    finish();
                }
                case ANSWERED -> {
                    bye(current);
                    finish();
                }
                case ENDED -> {
                }
            }
        });
    }

    private void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("trunk leg: " + state + " -> " + next + " is not allowed");
        }
        state = next;
    }

    // ------------------------------------------------------------------ placing the call

    private void tryNextTrunk() {
        while (nextTrunk < trunks.size()) {
            Trunk trunk = trunks.get(nextTrunk++);
            try {
                current = send(trunk);
                return;
            } catch (SipException | ParseException | InvalidArgumentException | RuntimeException e) {
                log.warn("INVITE to trunk {} not sent: {}", trunk, e.toString());
                lastStatus = Response.SERVICE_UNAVAILABLE;
                sip.metrics().trunkFailure(trunk.toString(), lastStatus);
            }
        }
        current = null;
        fail(lastStatus);
    }

    private Attempt send(Trunk trunk) throws SipException, ParseException, InvalidArgumentException {
        SipFactories f = sip.factories();
        AddressFactory addresses = f.addresses();
        HeaderFactory headers = f.headers();
        SipURI target = addresses.createSipURI(e164, trunk.host());
        target.setPort(trunk.port());
        if (trunk.transport().equals("TCP")) {
            target.setTransportParam("tcp");
        }
        FromHeader from = headers.createFromHeader(addresses.createAddress(addresses.createSipURI(ani, sip.host())),
                SipFactories.newTag());
        SipURI toUri = addresses.createSipURI(e164, trunk.host());
        ToHeader to = headers.createToHeader(addresses.createAddress(toUri), null);
        CallIdHeader callId = sip.provider().getNewCallId();
        CSeqHeader cseq = headers.createCSeqHeader(1L, Request.INVITE);
        ViaHeader via = headers.createViaHeader(sip.host(), sip.port(), trunk.transport().toLowerCase(Locale.ROOT), null);
        Request invite = f.messages().createRequest(target, Request.INVITE, callId, cseq, from, to, List.of(via),
                headers.createMaxForwardsHeader(LegDialog.MAX_FORWARDS));
        invite.addHeader(sip.contact(trunk.transport()));
        invite.addHeader(headers.createSupportedHeader("timer"));
        invite.addHeader(headers.createAllowHeader("INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE"));
        sip.setSdp(invite, Sdp.offer(local, sessionId, sdpVersion));

        Attempt a = new Attempt(trunk, callId.getCallId(), 1L);
        a.request = invite;
        a.invite = sip.provider().getNewClientTransaction(invite);
        a.flow = peerOf(a.invite, trunk);
        attempts.add(a);
        sip.route(a.callId, this);
        a.invite.sendRequest();
        a.noResponse = sip.later(responseTimeout, () -> noResponse(a));
        sip.metrics().trunkAttempt(trunk.toString());
        log.info("INVITE {} to trunk {} (Call-ID {})", e164, trunk, a.callId);
        return a;
    }

    /**
     * The flow of the trunk the INVITE goes to, as the transport resolved it for the transaction
     * (an address literal: nothing is looked up here).
     */
    private static Optional<Flow> peerOf(ClientTransaction tx, Trunk trunk) {
        if (tx instanceof TransactionExt ext && ext.getPeerAddress() != null && ext.getPeerPort() > 0) {
            try {
                return Optional.of(Flow.trunk(InetAddress.ofLiteral(ext.getPeerAddress()), ext.getPeerPort(),
                        trunk.transport()));
            } catch (IllegalArgumentException e) {
                log.warn("trunk {}: peer address '{}' is not a literal", trunk, ext.getPeerAddress());
            }
        }
        log.warn("trunk {}: no peer address for the INVITE; requests from the trunk will be refused", trunk);
        return Optional.empty();
    }

    /** The trunk said nothing at all in time: skip it; a late answer is cancelled or hung up. */
    private void noResponse(Attempt a) {
        if (a == current && state == State.CALLING && !a.provisional) {
            log.info("trunk {} sent no response in {}: trying the next", a.trunk, responseTimeout);
            abandon(a);
            lastStatus = Response.REQUEST_TIMEOUT;
            sip.metrics().trunkFailure(a.trunk.toString(), lastStatus);
            tryNextTrunk();
        }
    }

    /** Gives an attempt up: CANCEL now if it may be sent, else when a provisional response comes. */
    private void abandon(Attempt a) {
        if (a == null) {
            return;
        }
        if (a.noResponse != null) {
            a.noResponse.cancel(false);
        }
        if (a == current) {
            current = null;
        }
        a.cancelled = true;
        if (a.provisional) {
            sendCancel(a);
        }
    }

    private void sendCancel(Attempt a) {
        try {
            Request cancel = a.invite.createCancel();
            sip.provider().getNewClientTransaction(cancel).sendRequest();
        } catch (SipException | RuntimeException e) {
            log.debug("CANCEL for {} not sent: {}", a.callId, e.toString());
        }
    }

    private void fail(int status) {
        finish();
        events.accept(new CallEvent.TrunkFailed(status));
    }

    private void finish() {
        if (state == State.ENDED) {
            return;
        }
        moveTo(State.ENDED);
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
        }
        for (Attempt a : attempts) {
            if (a.noResponse != null) {
                a.noResponse.cancel(false);
            }
            if (a.dialog != null) {
                a.dialog.close();
            }
            sip.forgetLater(a.callId, this);
        }
    }

    // ------------------------------------------------------------------ responses

    @Override
    public void response(ResponseEvent event) {
        Response r = event.getResponse();
        Attempt a = attemptOf(B2bua.callIdOf(r));
        if (a == null) {
            return;
        }
        if (!fromTrunk(a, event)) {
            log.debug("response {} on {} not from trunk {}: dropped", r.getStatusCode(), a.callId, a.trunk);
            return;
        }
        CSeqHeader cseq = (CSeqHeader) r.getHeader(CSeqHeader.NAME);
        if (cseq.getMethod().equals(Request.INVITE) && cseq.getSeqNumber() == a.cseq) {
            inviteResponse(a, r);
        } else if (cseq.getMethod().equals(Request.INVITE) && a.dialog != null) {
            refreshResponse(a, r, cseq.getSeqNumber());
        }
    }

    /**
     * Whether a response came from the address the INVITE went to. The port is not checked: a
     * server may answer from another port than it listens on (RFC 3261 §18.2.2 leaves it open),
     * but a response from another host is a forgery, whatever Call-ID, branch and tags it copies.
     */
    private static boolean fromTrunk(Attempt a, ResponseEvent event) {
        Optional<InetAddress> source = Flow.packetSource(event.getResponse()).map(InetSocketAddress::getAddress)
                .or(() -> event instanceof ResponseEventExt ext && ext.getRemoteIpAddress() != null
                        ? Optional.of(InetAddress.ofLiteral(ext.getRemoteIpAddress())) : Optional.empty());
        return a.flow.isPresent() && source.filter(a.flow.get().address()::equals).isPresent();
    }

    private Attempt attemptOf(String callId) {
        for (Attempt a : attempts) {
            if (a.callId.equals(callId)) {
                return a;
            }
        }
        return null;
    }

    /**
     * The dialog a response to the INVITE belongs to: the attempt's, created or moved on by it;
     * or, for a 2xx with another tag than the one that confirmed it, a dialog of its own (a fork,
     * to be acknowledged and hung up: RFC 3261 §13.2.2.4). Empty for an untagged provisional.
     */
    private Optional<LegDialog> dialogOf(Attempt a, Response r) {
        String tag = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag();
        if (tag == null) {
            return Optional.empty();
        }
        if (a.dialog == null) {
            a.dialog = LegDialog.uac(sip, a.request, r, a.flow, a.trunk.transport());
        } else if (!a.dialog.confirmed()) {
            a.dialog.update(r);
        } else if (!TransactionMatch.sameTag(a.dialog.remoteTag(), tag)) {
            return Optional.of(LegDialog.uac(sip, a.request, r, a.flow, a.trunk.transport()));
        }
        return Optional.of(a.dialog);
    }

    private void inviteResponse(Attempt a, Response r) {
        int status = r.getStatusCode();
        Optional<LegDialog> tagged = status < 300 ? dialogOf(a, r) : Optional.empty();
        if (status < 200) {
            boolean first = !a.provisional;
            a.provisional = true;
            if (a.noResponse != null) {
                a.noResponse.cancel(false);
            }
            if (a.cancelled) {
                if (first) {
                    sendCancel(a);
                }
                return;
            }
            if (a == current && state == State.CALLING) {
                if (status == 181) {
                    events.accept(new CallEvent.ThreeWaySignal(Leg.B, "provisional_181"));
                } else if (status == Response.RINGING || status == Response.SESSION_PROGRESS) {
                    events.accept(new CallEvent.TrunkRinging(status));
                }
            }
            return;
        }
        if (status < 300) {
            if (tagged.isEmpty()) {
                log.warn("trunk {} answered 2xx without a To tag: ignored", a.trunk);
                return;
            }
            LegDialog dialog = tagged.get();
            ack(a, r, dialog);
            if (dialog != a.dialog) {
                bye(a, dialog);
                return;
            }
            if (a != current || state != State.CALLING) {
                // Answered after we gave up (or a retransmission after the end): hang it up.
                if (!a.byeSent && (a.cancelled || state == State.ENDED)) {
                    a.byeSent = true;
                    bye(a, dialog);
                }
                return;
            }
            Sdp.Reading answer = B2bua.isSdp(r) ? Sdp.read(B2bua.body(r))
                    : new Sdp.Unusable(Sdp.Problem.NO_COMMON_CODEC, "no SDP in the 2xx");
            if (!(answer instanceof Sdp.Usable usable)) {
                log.warn("trunk {} answered with unusable SDP: {}", a.trunk, ((Sdp.Unusable) answer).detail());
                a.byeSent = true;
                bye(a, dialog);
                fail(Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            if (a.noResponse != null) {
                a.noResponse.cancel(false);
            }
            moveTo(State.ANSWERED);
            startSessionTimer(r);
            events.accept(new CallEvent.TrunkAnswered(usable.negotiated().chosen()));
            return;
        }
        if (a != current || state != State.CALLING) {
            return; // 487 to our CANCEL, or the end of an abandoned attempt
        }
        if (a.noResponse != null) {
            a.noResponse.cancel(false);
        }
        if (status < 400) {
            events.accept(new CallEvent.ThreeWaySignal(Leg.B, "redirect_3xx"));
            fail(status);
        } else if (status == Response.BUSY_HERE) {
            // Contract, call flow step 7: 486 is busy; every 5xx/6xx (600 included) moves to the next trunk.
            fail(status);
        } else if (status >= 500) {
            log.info("trunk {} answered {}: trying the next", a.trunk, status);
            lastStatus = status;
            sip.metrics().trunkFailure(a.trunk.toString(), status);
            tryNextTrunk();
        } else {
            fail(status);
        }
    }

    /** ACKs a 2xx (RFC 3261 §13.2.2.4); the ACK of the INVITE's own 2xx is kept for its retransmissions. */
    private void ack(Attempt a, Response r, LegDialog dialog) {
        try {
            long seq = LegDialog.cseqOf(r);
            boolean invite = seq == a.cseq && dialog == a.dialog;
            Request ack = invite && a.ack != null ? a.ack : dialog.ack(seq);
            if (invite) {
                a.ack = ack;
            }
            sip.provider().sendRequest(ack);
        } catch (SipException | RuntimeException e) {
            log.warn("ACK on {} not sent: {}", a.callId, e.toString());
        }
    }

    private void bye(Attempt a) {
        if (a != null && a.dialog != null) {
            bye(a, a.dialog);
        }
    }

    private void bye(Attempt a, LegDialog dialog) {
        try {
            Request bye = dialog.request(Request.BYE);
            sip.provider().getNewClientTransaction(bye).sendRequest();
        } catch (SipException | RuntimeException e) {
            log.warn("BYE on {} not sent: {}", a.callId, e.toString());
        }
    }

    @Override
    public void timeout(TimeoutEvent event) {
        if (event.isServerTransaction()) {
            return;
        }
        Request request = event.getClientTransaction().getRequest();
        Attempt a = current;
        if (a != null && state == State.CALLING && request.getMethod().equals(Request.INVITE)
                && a.callId.equals(B2bua.callIdOf(request))) {
            log.info("trunk {} timed out: trying the next", a.trunk);
            abandon(a);
            lastStatus = Response.REQUEST_TIMEOUT;
            sip.metrics().trunkFailure(a.trunk.toString(), lastStatus);
            tryNextTrunk();
        } else if (state == State.ANSWERED && request.getMethod().equals(Request.INVITE)) {
            sessionLost("refresh timed out");
        }
    }

    // ------------------------------------------------------------------ requests from the callee

    @Override
    public void request(InboundRequest r) {
        Attempt a = attemptOf(B2bua.callIdOf(r.request()));
        if (a == null || r.method().equals(Request.CANCEL)) {
            sip.refuse(r, a == null ? Mismatch.UNKNOWN_CALL_ID : Mismatch.TRANSACTION);
            return;
        }
        Optional<Mismatch> mismatch = a.dialog == null ? Optional.of(Mismatch.TAGS) : a.dialog.match(r);
        if (mismatch.isPresent()) {
            sip.refuse(r, mismatch.get());
            return;
        }
        if (r.method().equals(Request.ACK)) {
            a.dialog.acked(LegDialog.cseqOf(r.request()));
            return;
        }
        if (!a.dialog.inOrder(r.request())) {
            r.respond(Response.SERVER_INTERNAL_ERROR); // RFC 3261 §12.2.2: out of order
            return;
        }
        boolean answered = state == State.ANSWERED && a == current;
        switch (r.method()) {
            case Request.BYE -> {
                r.respond(Response.OK);
                if (answered) {
                    finish();
                    events.accept(new CallEvent.CalleeHangup());
                }
            }
            case Request.INFO -> {
                if (!answered) {
                    r.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    sip.info(r, Leg.B, events);
                }
            }
            case Request.INVITE, Request.UPDATE -> {
                if (!answered) {
                    r.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    offerFromCallee(r, a.dialog);
                }
            }
            case Request.REFER -> {
                r.respond(Response.FORBIDDEN);
                if (answered) {
                    events.accept(new CallEvent.ThreeWaySignal(Leg.B, "refer"));
                }
            }
            default -> r.respond(state == State.ENDED ? Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST
                    : Response.METHOD_NOT_ALLOWED);
        }
    }

    /**
     * A re-INVITE or UPDATE from the callee: answered with our SDP, the direction mirrored
     * (RFC 3264 §6.1), the version raised only when our description changes (§8). A hold is a
     * three-way signal; any other offer is a session refresh (RFC 4028).
     */
    private void offerFromCallee(InboundRequest r, LegDialog dialog) {
        Request request = r.request();
        Response ok = r.response(Response.OK);
        ok.setHeader(sip.contact(current.trunk.transport()));
        boolean holds = false;
        if (B2bua.isSdp(request)) {
            if (!(Sdp.read(B2bua.body(request)) instanceof Sdp.Usable usable)) {
                r.respond(Response.NOT_ACCEPTABLE_HERE);
                return;
            }
            MediaDescription offered = usable.negotiated().chosen();
            holds = offered.holds();
            MediaDescription.Direction direction = Sdp.answerDirection(offered.direction());
            if (direction != lastDirection) {
                lastDirection = direction;
                sdpVersion++;
            }
            MediaDescription ours = new MediaDescription(local.rtp(), offered.payloadType(),
                    offered.telephoneEventPt(), direction);
            sip.setSdp(ok, Sdp.answer(ours, usable.negotiated(), sessionId, sdpVersion));
        } else if (request.getMethod().equals(Request.INVITE)) {
            // An offerless re-INVITE: we offer in the 2xx, the answer comes in the ACK (RFC 3261 §14.2).
            sip.setSdp(ok, Sdp.offer(withDirection(lastDirection), sessionId, sdpVersion));
        }
        Header expires = request.getHeader("Session-Expires");
        if (expires != null) {
            String value = valueOf(expires);
            Matcher m = SESSION_EXPIRES.matcher(value);
            if (m.matches()) {
                String refresher = refresherOf(m.group(2)).orElse("uac");
                ok.setHeader(sip.header("Session-Expires", m.group(1) + ";refresher=" + refresher));
                ok.setHeader(sip.header("Require", "timer"));
                // The callee's side sent this request: "uac" here is the callee refreshing.
                scheduleSession(Integer.parseInt(m.group(1)), refresher.equals("uas"));
            }
        } else if (!weRefresh && sessionExpires > 0) {
            scheduleSession(sessionExpires, false);
        }
        r.respond(ok);
        dialog.refreshTarget(request);
        if (request.getMethod().equals(Request.INVITE)) {
            dialog.answered(ok, LegDialog.cseqOf(request), () -> log.info("no ACK from trunk {} for the 2xx to its"
                    + " re-INVITE", current == null ? "?" : current.trunk));
        }
        if (holds) {
            events.accept(new CallEvent.ThreeWaySignal(Leg.B, "hold_reinvite"));
        }
    }

    private MediaDescription withDirection(MediaDescription.Direction d) {
        return new MediaDescription(local.rtp(), local.payloadType(), local.telephoneEventPt(), d);
    }

    // ------------------------------------------------------------------ session timer (RFC 4028)

    private void startSessionTimer(Response ok) {
        Header header = ok.getHeader("Session-Expires");
        if (header == null) {
            return;
        }
        Matcher m = SESSION_EXPIRES.matcher(valueOf(header));
        if (!m.matches()) {
            return;
        }
        // §7.2: the 2xx names the refresher; "uac" is the gateway here.
        boolean ours = !refresherOf(m.group(2)).orElse("uac").equals("uas");
        scheduleSession(Integer.parseInt(m.group(1)), ours);
    }

    /** Arms the timer: our refresh at half the interval, or the watchdog of the peer's (§10). */
    private void scheduleSession(int seconds, boolean weAreRefresher) {
        if (seconds <= 0) {
            return;
        }
        sessionExpires = seconds;
        weRefresh = weAreRefresher;
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
        }
        if (weAreRefresher) {
            sessionTimer = sip.later(Duration.ofMillis(seconds * 500L), this::sendRefresh);
        } else {
            long margin = Math.min(32_000L, seconds * 1000L / 3);
            sessionTimer = sip.later(Duration.ofMillis(seconds * 1000L - margin), () -> sessionLost("no refresh"));
        }
    }

    private void sendRefresh() {
        if (state != State.ANSWERED || current == null) {
            return;
        }
        try {
            Request reinvite = current.dialog.request(Request.INVITE);
            reinvite.addHeader(sip.contact(current.trunk.transport()));
            reinvite.setHeader(sip.header("Session-Expires", sessionExpires + ";refresher=uac"));
            reinvite.setHeader(sip.factories().headers().createSupportedHeader("timer"));
            sip.setSdp(reinvite, Sdp.offer(withDirection(lastDirection), sessionId, sdpVersion));
            sip.provider().getNewClientTransaction(reinvite).sendRequest();
            log.debug("session refresh sent on {}", current.callId);
        } catch (SipException | ParseException | RuntimeException e) {
            log.warn("session refresh on {} not sent: {}", current.callId, e.toString());
        }
        scheduleSession(sessionExpires, true);
    }

    private void refreshResponse(Attempt a, Response r, long seq) {
        int status = r.getStatusCode();
        if (status < 200 || a != current || state != State.ANSWERED) {
            if (status >= 200 && status < 300) {
                ack(a, r, a.dialog);
            }
            return;
        }
        if (status < 300) {
            ack(a, r, a.dialog);
            Header header = r.getHeader("Session-Expires");
            if (header != null) {
                Matcher m = SESSION_EXPIRES.matcher(valueOf(header));
                if (m.matches()) {
                    scheduleSession(Integer.parseInt(m.group(1)),
                            !refresherOf(m.group(2)).orElse("uac").equals("uas"));
                }
            }
        } else if (status == Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST || status == Response.REQUEST_TIMEOUT) {
            sessionLost("refresh answered " + status);
        }
    }

    /** RFC 4028 §10: the session is over; BYE and tell the call the callee is gone. */
    private void sessionLost(String why) {
        if (state != State.ANSWERED) {
            return;
        }
        log.info("session with trunk {} expired ({}): BYE", current.trunk, why);
        bye(current);
        finish();
        events.accept(new CallEvent.CalleeHangup());
    }

    private static java.util.Optional<String> refresherOf(String params) {
        if (params == null) {
            return java.util.Optional.empty();
        }
        for (String p : params.split(";")) {
            String[] kv = p.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equalsIgnoreCase("refresher")) {
                return java.util.Optional.of(kv[1].trim().toLowerCase(Locale.ROOT));
            }
        }
        return java.util.Optional.empty();
    }

    /** A header's value: what follows the first colon of its encoding. */
    private static String valueOf(Header header) {
        String text = header.toString().trim();
        int colon = text.indexOf(':');
        return colon < 0 ? text : text.substring(colon + 1).trim();
    }
}
