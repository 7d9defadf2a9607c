package org.icgw.gateway.sip.b2bua;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.TimeoutEvent;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.call.InmateLeg;
import org.icgw.gateway.call.MediaDescription;
import org.icgw.gateway.sip.InboundRequest;
import org.icgw.media.Leg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inmate's leg: the terminal's INVITE, answered by the gateway as a UAS, and the dialog it
 * sets up ({@link LegDialog}).
 *
 * <pre>
 *   OFFERED ──answer()──► ANSWERED ──ACK──► CONFIRMED
 *      │                      │                 │
 *      │ end(): final error   │ end(): BYE once │ end(): BYE
 *      │ CANCEL: 200 + 487    │ the ACK is in   │ BYE from the terminal: 200
 *      │                      │ no ACK: BYE     │
 *      └──────────────────────┴────────┬────────┘
 *                                      ▼
 *                                    ENDED
 * </pre>
 *
 * The transitions are declared in {@link State#NEXT} and checked on every change. Before anything
 * else a request must match: a CANCEL the INVITE's transaction ({@link TransactionMatch}), any other
 * request the dialog and the flow the INVITE came on; otherwise it is refused 481 (an ACK dropped)
 * and changes nothing. In the dialog: INFO digits and flashes go to the call, a re-INVITE or UPDATE
 * gets the same SDP answer (the inmate's hold is not a three-way signal), a REFER is refused 403
 * and reported. Runs on the B2BUA's worker; {@link #answer} and {@link #end} hand their work to it.
 */
final class InmateSipLeg implements InmateLeg, SipLeg {

    private static final Logger log = LoggerFactory.getLogger(InmateSipLeg.class);

    enum State {
        OFFERED, ANSWERED, CONFIRMED, ENDED;

        /** Where each state may go next: the diagram above. */
        static final Map<State, Set<State>> NEXT = new EnumMap<>(State.class);

        static {
            NEXT.put(OFFERED, EnumSet.of(ANSWERED, ENDED));
            NEXT.put(ANSWERED, EnumSet.of(CONFIRMED, ENDED));
            NEXT.put(CONFIRMED, EnumSet.of(ENDED));
            NEXT.put(ENDED, EnumSet.noneOf(State.class));
        }

        boolean canMoveTo(State next) {
            return NEXT.get(this).contains(next);
        }
    }

    private final B2bua sip;
    private final InboundRequest invite;
    private final LegDialog dialog;
    /** The flow the INVITE came on: its CANCEL must come on it too. */
    private final Flow flow;
    private final String username;
    private final String dialed;
    private final Sdp.Negotiated offer;
    private final String callId;
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    /** The call's inbox (never the call itself: this leg lingers after the call ended). */
    private Consumer<CallEvent> call = e -> { };
    private State state = State.OFFERED;
    private String localSdp;
    /** The 2xx that answered the INVITE, for a retransmission of it. */
    private Response ok;
    private boolean byeOnAck;

    InmateSipLeg(B2bua sip, InboundRequest invite, String username, String dialed, Sdp.Negotiated offer) {
        this.sip = sip;
        this.invite = invite;
        this.dialog = LegDialog.uas(sip, invite);
        this.flow = Flow.of(invite);
        this.username = username;
        this.dialed = dialed;
        this.offer = offer;
        this.callId = B2bua.callIdOf(invite.request());
    }

    void attach(Consumer<CallEvent> inbox) {
        this.call = inbox;
    }

    State state() {
        return state;
    }

    @Override
    public String terminalUsername() {
        return username;
    }

    @Override
    public String dialed() {
        return dialed;
    }

    @Override
    public MediaDescription remote() {
        return offer.chosen();
    }

    @Override
    public void answer(MediaDescription local) {
        sip.run(() -> doAnswer(local));
    }

    @Override
    public void end(int statusIfUnanswered) {
        sip.run(() -> doEnd(statusIfUnanswered));
    }

    private void doAnswer(MediaDescription local) {
        if (state != State.OFFERED) {
            return;
        }
        MediaDescription ours = new MediaDescription(local.rtp(), offer.chosen().payloadType(),
                offer.chosen().telephoneEventPt(), Sdp.answerDirection(offer.chosen().direction()));
        localSdp = Sdp.answer(ours, offer, sessionId, 1);
        ok = invite.response(Response.OK);
        dialog.tag(ok);
        ok.setHeader(sip.contact(invite.transport()));
        sip.setSdp(ok, localSdp);
        invite.respond(ok);
        sip.forget(invite.transaction());
        moveTo(State.ANSWERED);
        dialog.answered(ok, LegDialog.cseqOf(invite.request()), this::noAck);
    }

    /**
     * An INVITE without To tag with this leg's Call-ID: when it is the answered INVITE again (its
     * branch, CSeq and flow), it gets the same 2xx and true; anything else is not this leg's.
     */
    boolean repeated(InboundRequest r) {
        if (ok == null || !TransactionMatch.repeats(invite.request(), flow, r)) {
            return false;
        }
        r.respond((Response) ok.clone());
        sip.forget(r.transaction());
        return true;
    }

    private void doEnd(int status) {
        switch (state) {
            case OFFERED -> {
                refuseInvite(status);
                finish();
            }
            case ANSWERED -> byeOnAck = true; // RFC 3261 §15: no BYE before the ACK of our 2xx
            case CONFIRMED -> {
                sendBye();
                finish();
            }
            case ENDED -> {
            }
        }
    }

    private void refuseInvite(int status) {
        Response response = invite.response(status);
        dialog.tag(response);
        invite.respond(response);
    }

    @Override
    public void request(InboundRequest r) {
        if (r.method().equals(Request.CANCEL)) {
            cancel(r);
            return;
        }
        Optional<Mismatch> mismatch = dialog.match(r);
        if (mismatch.isPresent()) {
            sip.refuse(r, mismatch.get());
            return;
        }
        if (r.method().equals(Request.ACK)) {
            ack(r);
            return;
        }
        if (!dialog.inOrder(r.request())) {
            r.respond(Response.SERVER_INTERNAL_ERROR); // RFC 3261 §12.2.2: out of order
            return;
        }
        switch (r.method()) {
            case Request.BYE -> {
                r.respond(Response.OK);
                hungUp();
            }
            case Request.INFO -> {
                if (state == State.ENDED) {
                    r.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
                } else {
                    sip.info(r, Leg.A, this::post);
                }
            }
            case Request.INVITE, Request.UPDATE -> refresh(r);
            case Request.REFER -> {
                r.respond(Response.FORBIDDEN);
                post(new CallEvent.ThreeWaySignal(Leg.A, "refer"));
            }
            default -> r.respond(Response.METHOD_NOT_ALLOWED);
        }
    }

    /**
     * A CANCEL: while the INVITE waits for its answer, one that matches its transaction ends it
     * (200, then 487). Once answered, a matching CANCEL has no effect (RFC 3261 §9.2) and gets 200;
     * one that matches nothing is refused.
     */
    private void cancel(InboundRequest r) {
        if (!TransactionMatch.cancels(invite.request(), flow, r)) {
            sip.refuse(r, Mismatch.TRANSACTION);
            return;
        }
        sip.forget(r.transaction());
        r.respond(Response.OK);
        if (state == State.OFFERED) {
            refuseInvite(Response.REQUEST_TERMINATED);
            hungUp();
        }
    }

    private void ack(InboundRequest r) {
        long seq = LegDialog.cseqOf(r.request());
        if (!dialog.acked(seq) || state != State.ANSWERED || seq != LegDialog.cseqOf(invite.request())) {
            return; // a re-INVITE's ACK, or one repeated
        }
        moveTo(State.CONFIRMED);
        if (byeOnAck) {
            sendBye();
            finish();
        }
    }

    /** RFC 3261 §13.3.1.4: no ACK for our 2xx: the session is over. */
    private void noAck() {
        if (state == State.ANSWERED) {
            log.info("no ACK from terminal '{}': ending the call", username);
            sendBye();
            hungUp();
        }
    }

    /** A re-INVITE or UPDATE from the terminal: the same answer as before (RFC 3264 §8: unchanged version). */
    private void refresh(InboundRequest r) {
        if (localSdp == null) {
            Response pending = r.response(r.method().equals(Request.INVITE) ? Response.SERVER_INTERNAL_ERROR
                    : Response.REQUEST_PENDING);
            pending.setHeader(sip.header("Retry-After", "1"));
            r.respond(pending);
            return;
        }
        if (B2bua.isSdp(r.request()) && !(Sdp.read(B2bua.body(r.request())) instanceof Sdp.Usable)) {
            r.respond(Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        Response ok = r.response(Response.OK);
        ok.setHeader(sip.contact(invite.transport()));
        boolean reinvite = r.method().equals(Request.INVITE);
        if (reinvite || B2bua.isSdp(r.request())) {
            sip.setSdp(ok, localSdp);
        }
        r.respond(ok);
        dialog.refreshTarget(r.request());
        if (reinvite) {
            dialog.answered(ok, LegDialog.cseqOf(r.request()), () -> log.info("no ACK for the 2xx to a re-INVITE"
                    + " of terminal '{}'", username));
        }
    }

    private void hungUp() {
        if (state != State.ENDED) {
            finish();
            post(new CallEvent.InmateHangup());
        }
    }

    private void finish() {
        if (state == State.ENDED) {
            return;
        }
        moveTo(State.ENDED);
        dialog.close();
        sip.forgetLater(callId, this);
    }

    private void moveTo(State next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("inmate leg " + callId + ": " + state + " -> " + next + " is not allowed");
        }
        state = next;
    }

    private void sendBye() {
        try {
            Request bye = dialog.request(Request.BYE);
            ClientTransaction tx = sip.provider().getNewClientTransaction(bye);
            tx.sendRequest();
        } catch (SipException | RuntimeException e) {
            log.warn("BYE to terminal '{}' not sent: {}", username, e.toString());
        }
    }

    private void post(CallEvent event) {
        call.accept(event);
    }

    @Override
    public void response(ResponseEvent event) {
        // Responses to our BYE: nothing more to do whatever they say.
    }

    @Override
    public void timeout(TimeoutEvent event) {
        // Our BYE timed out: the leg is over anyway; a missing ACK is the dialog's own timer.
    }
}
