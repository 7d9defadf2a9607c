package org.icgw.gateway.sip.b2bua;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.sip.InboundRequest;
import org.icgw.gateway.sip.SipFactories;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP dialog of one leg (RFC 3261 §12), kept by the B2BUA itself rather than by the stack:
 * its id (Call-ID, local tag, remote tag), the flow it was set up on, the remote target and route
 * set its requests go to, and both CSeq counters. A request of the peer belongs to the dialog only
 * when its Call-ID and both tags name it and it came on that flow; anything else is refused before
 * any of this state, or the stack's, is touched, since the stack holds no dialog to update.
 *
 * <p>It also makes the gateway's 2xx to an INVITE of the peer reliable (§13.3.1.4): over UDP the
 * 2xx is sent again at T1, 2·T1, ... up to T2 until its ACK comes, and the ACK is awaited 64·T1.
 * Runs on the B2BUA's worker only.
 */
final class LegDialog {

    private static final Logger log = LoggerFactory.getLogger(LegDialog.class);

    /** RFC 3261 §17.1.1.1: the round-trip estimate; the first 2xx retransmission comes after it. */
    static final Duration T1 = Duration.ofMillis(500);
    /** RFC 3261 §17.1.2.2: the 2xx retransmission interval doubles up to this and stays there. */
    static final Duration T2 = Duration.ofSeconds(4);
    /** RFC 3261 §13.3.1.4: a 2xx whose ACK has not come in 64·T1 ends the wait (and the session). */
    static final Duration ACK_WAIT = T1.multipliedBy(64);
    /** RFC 3261 §8.1.1.6: the Max-Forwards of the requests the gateway starts. */
    static final int MAX_FORWARDS = 70;
    /** A CSeq counter not yet set (the peer has sent no request in the dialog). */
    private static final long NONE = -1;

    private final B2bua sip;
    private final String callId;
    private final String localTag;
    private final Address localParty;
    private final Address remoteParty;
    /** Where the peer's requests must come from; empty when unknown (then none matches). */
    private final Optional<Flow> flow;
    private final String transport;
    private String remoteTag;
    private URI remoteTarget;
    private List<Address> routeSet = List.of();
    private boolean confirmed;
    private long localCseq;
    private long remoteCseq = NONE;

    /** CSeq of the gateway's 2xx to an INVITE of the peer that waits for its ACK, or {@link #NONE}. */
    private long unacked = NONE;
    private ScheduledFuture<?> retransmission;
    private ScheduledFuture<?> ackTimer;

    private LegDialog(B2bua sip, String callId, String localTag, Address localParty, Address remoteParty,
            Optional<Flow> flow, String transport) {
        this.sip = sip;
        this.callId = callId;
        this.localTag = localTag;
        this.localParty = localParty;
        this.remoteParty = remoteParty;
        this.flow = flow;
        this.transport = transport.toUpperCase(Locale.ROOT);
    }

    /**
     * The dialog a terminal's INVITE sets up with the gateway answering (UAS, §12.1.1): the local
     * tag is chosen now and goes on every final response to the INVITE.
     */
    static LegDialog uas(B2bua sip, InboundRequest invite) {
        Request r = invite.request();
        FromHeader from = (FromHeader) r.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        LegDialog d = new LegDialog(sip, B2bua.callIdOf(r), SipFactories.newTag(), (Address) to.getAddress().clone(),
                (Address) from.getAddress().clone(), Optional.of(Flow.of(invite)),
                invite.transport());
        d.remoteTag = from.getTag();
        d.remoteTarget = contactUri(r).orElse((URI) from.getAddress().getURI().clone());
        d.routeSet = recordRoutes(r, false);
        d.remoteCseq = cseqOf(r);
        d.confirmed = true;
        return d;
    }

    /**
     * The dialog a tagged response to the gateway's INVITE sets up (UAC, §12.1.2): early on a 1xx,
     * confirmed on a 2xx.
     *
     * @param flow where the INVITE went: the peer's requests must come from there
     */
    static LegDialog uac(B2bua sip, Request invite, Response response, Optional<Flow> flow, String transport) {
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) response.getHeader(ToHeader.NAME);
        LegDialog d = new LegDialog(sip, B2bua.callIdOf(invite), from.getTag(), (Address) from.getAddress().clone(),
                (Address) to.getAddress().clone(), flow, transport);
        d.localCseq = cseqOf(invite);
        d.remoteTarget = (URI) invite.getRequestURI().clone();
        d.update(response);
        return d;
    }

    /**
     * A later response to the INVITE on a UAC dialog: while early, the latest tagged response names
     * the remote tag, target and route set; a 2xx confirms them for good (§12.1.2, §13.2.2.4).
     */
    void update(Response response) {
        if (confirmed) {
            return;
        }
        remoteTag = ((ToHeader) response.getHeader(ToHeader.NAME)).getTag();
        contactUri(response).ifPresent(uri -> remoteTarget = uri);
        routeSet = recordRoutes(response, true);
        confirmed = response.getStatusCode() / 100 == 2;
    }

    boolean confirmed() {
        return confirmed;
    }

    String remoteTag() {
        return remoteTag;
    }

    /** Gives a final response to the dialog-creating INVITE the dialog's local tag (UAS). */
    void tag(Response response) {
        try {
            ((ToHeader) response.getHeader(ToHeader.NAME)).setTag(localTag);
        } catch (ParseException e) {
            throw new IllegalStateException("a generated tag is a token", e);
        }
    }

    /**
     * Whether a request of the peer belongs to this dialog: the Call-ID, the To tag (ours), the
     * From tag (the peer's), then the flow. Empty when it does.
     */
    Optional<Mismatch> match(InboundRequest inbound) {
        Request r = inbound.request();
        String to = ((ToHeader) r.getHeader(ToHeader.NAME)).getTag();
        String from = ((FromHeader) r.getHeader(FromHeader.NAME)).getTag();
        if (!callId.equals(B2bua.callIdOf(r)) || to == null || !TransactionMatch.sameTag(localTag, to)
                || !TransactionMatch.sameTag(remoteTag, from)) {
            return Optional.of(Mismatch.TAGS);
        }
        if (flow.isEmpty() || !flow.get().admits(inbound)) {
            return Optional.of(Mismatch.FLOW);
        }
        return Optional.empty();
    }

    /**
     * RFC 3261 §12.2.2: a request of the peer must carry a CSeq above the last one; it is then the
     * last one. Not for ACK or CANCEL, which reuse their INVITE's number.
     */
    boolean inOrder(Request request) {
        long seq = cseqOf(request);
        if (remoteCseq != NONE && seq <= remoteCseq) {
            return false;
        }
        remoteCseq = seq;
        return true;
    }

    /** §12.2.2: an accepted target refresh (re-INVITE, UPDATE) moves the remote target to its Contact. */
    void refreshTarget(Request request) {
        contactUri(request).ifPresent(uri -> remoteTarget = uri);
    }

    /** A new request of the gateway in the dialog (§12.2.1.1), with the next local CSeq. */
    Request request(String method) {
        localCseq++;
        return build(method, localCseq);
    }

    /** The ACK of a 2xx to the gateway's INVITE or re-INVITE with CSeq {@code seq} (§13.2.2.4). */
    Request ack(long seq) {
        return build(Request.ACK, seq);
    }

    private Request build(String method, long seq) {
        SipFactories f = sip.factories();
        HeaderFactory h = f.headers();
        try {
            Request request = f.messages().createRequest((URI) remoteTarget.clone(), method,
                    h.createCallIdHeader(callId), h.createCSeqHeader(seq, method),
                    h.createFromHeader((Address) localParty.clone(), localTag),
                    h.createToHeader((Address) remoteParty.clone(), remoteTag),
                    List.of(h.createViaHeader(sip.host(), sip.port(), transport.toLowerCase(Locale.ROOT), null)),
                    h.createMaxForwardsHeader(MAX_FORWARDS));
            for (Address route : routeSet) {
                request.addHeader(h.createRouteHeader((Address) route.clone()));
            }
            return request;
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("a request from the dialog's own values", e);
        }
    }

    /**
     * The gateway sent {@code ok}, a 2xx to the peer's INVITE with CSeq {@code seq}: over UDP it is
     * sent again until {@link #acked} (§13.3.1.4); with no ACK in {@link #ACK_WAIT},
     * {@code noAck} runs.
     */
    void answered(Response ok, long seq, Runnable noAck) {
        stopWaiting();
        unacked = seq;
        if (transport.equals("UDP")) {
            retransmit(ok, seq, 0);
        }
        ackTimer = sip.later(ACK_WAIT, () -> {
            if (unacked == seq) {
                stopWaiting();
                noAck.run();
            }
        });
    }

    private void retransmit(Response ok, long seq, int sent) {
        retransmission = sip.later(retransmitInterval(sent), () -> {
            if (unacked != seq) {
                return;
            }
            try {
                sip.provider().sendResponse(ok);
            } catch (SipException | RuntimeException e) {
                log.debug("2xx retransmission on {} not sent: {}", callId, e.toString());
            }
            retransmit(ok, seq, sent + 1);
        });
    }

    /** The wait before retransmission {@code n + 1} of a 2xx: T1·2ⁿ, at most T2 (§13.3.1.4). */
    static Duration retransmitInterval(int n) {
        Duration d = T1.multipliedBy(1L << Math.min(n, 16));
        return d.compareTo(T2) > 0 ? T2 : d;
    }

    /** An ACK of the peer with CSeq {@code seq}: true when it acknowledges the 2xx waiting for it. */
    boolean acked(long seq) {
        if (unacked == NONE || seq != unacked) {
            return false;
        }
        stopWaiting();
        return true;
    }

    /** Stops every timer (the leg is over). */
    void close() {
        stopWaiting();
    }

    private void stopWaiting() {
        unacked = NONE;
        if (retransmission != null) {
            retransmission.cancel(false);
            retransmission = null;
        }
        if (ackTimer != null) {
            ackTimer.cancel(false);
            ackTimer = null;
        }
    }

    static long cseqOf(Message message) {
        return ((CSeqHeader) message.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }

    private static Optional<URI> contactUri(Message message) {
        ContactHeader contact = (ContactHeader) message.getHeader(ContactHeader.NAME);
        return contact == null || contact.getAddress() == null ? Optional.empty()
                : Optional.of((URI) contact.getAddress().getURI().clone());
    }

    /** The route set from Record-Route: in order for the UAS, reversed for the UAC (§12.1.1, §12.1.2). */
    private static List<Address> recordRoutes(Message message, boolean reverse) {
        List<Address> routes = new ArrayList<>();
        ListIterator<?> it = message.getHeaders(RecordRouteHeader.NAME);
        while (it.hasNext()) {
            Address a = (Address) ((RecordRouteHeader) it.next()).getAddress().clone();
            if (reverse) {
                routes.addFirst(a);
            } else {
                routes.add(a);
            }
        }
        return List.copyOf(routes);
    }
}
