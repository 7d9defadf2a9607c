package org.icgw.gateway.sip.b2bua;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.sip.ClientTransaction;
import javax.sip.Dialog;
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
 * The inmate's leg: the terminal's INVITE, answered by the gateway as a UAS.
 *
 * <pre>
 *   OFFERED ──answer()──► ANSWERED ──ACK──► CONFIRMED
 *      │                      │                 │
 *      │ end(): final error   │ end(): BYE once │ end(): BYE
 *      │ CANCEL: 200 + 487    │ the ACK is in   │ BYE from the terminal: 200
 *      └──────────────────────┴────────┬────────┘
 *                                      ▼
 *                                    ENDED
 * </pre>
 *
 * In the dialog: INFO digits and flashes go to the call, a re-INVITE or UPDATE gets the same SDP
 * answer (the inmate's hold is not a three-way signal), a REFER is refused 403 and reported.
 * Runs on the B2BUA's worker; {@link #answer} and {@link #end} hand their work to it.
 */
final class InmateSipLeg implements InmateLeg, SipLeg {

    private static final Logger log = LoggerFactory.getLogger(InmateSipLeg.class);

    enum State { OFFERED, ANSWERED, CONFIRMED, ENDED }

    private final B2bua sip;
    private final InboundRequest invite;
    private final Dialog dialog;
    private final String username;
    private final String dialed;
    private final Sdp.Negotiated offer;
    private final String callId;
    private final long sessionId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);

    /** The call's inbox (never the call itself: this leg lingers after the call ended). */
    private Consumer<CallEvent> call = e -> { };
    private State state = State.OFFERED;
    private String localSdp;
    private boolean byeOnAck;

    InmateSipLeg(B2bua sip, InboundRequest invite, Dialog dialog, String username, String dialed, Sdp.Negotiated offer) {
        this.sip = sip;
        this.invite = invite;
        this.dialog = dialog;
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
        Response ok = invite.response(Response.OK);
        ok.setHeader(sip.contact(invite.transport()));
        sip.setSdp(ok, localSdp);
        invite.respond(ok);
        state = State.ANSWERED;
    }

    private void doEnd(int status) {
        switch (state) {
            case OFFERED -> {
                invite.respond(status);
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

    @Override
    public void request(InboundRequest r) {
        switch (r.method()) {
            case Request.ACK -> {
                if (state == State.ANSWERED) {
                    state = State.CONFIRMED;
                    if (byeOnAck) {
                        sendBye();
                        finish();
                    }
                }
            }
            case Request.BYE -> {
                r.respond(Response.OK);
                hungUp();
            }
            case Request.CANCEL -> {
                r.respond(Response.OK);
                if (state == State.OFFERED) {
                    invite.respond(Response.REQUEST_TERMINATED);
                    hungUp();
                }
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
        if (r.method().equals(Request.INVITE) || B2bua.isSdp(r.request())) {
            sip.setSdp(ok, localSdp);
        }
        r.respond(ok);
    }

    private void hungUp() {
        if (state != State.ENDED) {
            finish();
            post(new CallEvent.InmateHangup());
        }
    }

    private void finish() {
        state = State.ENDED;
        sip.forgetLater(callId, this);
    }

    private void sendBye() {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction tx = sip.provider().getNewClientTransaction(bye);
            dialog.sendRequest(tx);
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
        if (event.isServerTransaction() && state == State.ANSWERED) {
            // RFC 3261 §13.3.1.4: no ACK for our 2xx: the dialog is over.
            log.info("no ACK from terminal '{}': ending the call", username);
            sendBye();
            hungUp();
        }
    }
}
