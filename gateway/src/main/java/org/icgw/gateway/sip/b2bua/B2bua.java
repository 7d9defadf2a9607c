package org.icgw.gateway.sip.b2bua;

import gov.nist.javax.sip.stack.SIPTransaction;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.Transaction;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.Header;
import javax.sip.header.ToHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.call.Call;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.call.CallManager;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.InboundRequest;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.SipResponseListener;
import org.icgw.gateway.sip.registrar.AuthResult;
import org.icgw.gateway.sip.registrar.Authenticator;
import org.icgw.gateway.sip.registrar.Registrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SIP side of the back-to-back user agent: it answers the inmate's INVITE as a UAS
 * ({@link InmateSipLeg}), places the callee's INVITE toward the trunks as a UAC
 * ({@link TrunkSipLeg}), and routes every later request, response and timeout to its leg by
 * Call-ID. The leg then matches a request on its full dialog id and on the flow the dialog was set
 * up with ({@link LegDialog}, {@link Flow}; a CANCEL on its INVITE transaction, {@link TransactionMatch});
 * what matches nothing is refused 481 (an ACK dropped), changes nothing, and is recorded as a
 * {@code dialog_mismatch} security event. The call itself is a {@link Call} script that drives
 * both legs.
 *
 * <pre>
 *   INVITE without To tag ─► the answered INVITE of a leg again, on its flow ─► its 2xx again
 *                         ─► Authenticator: Challenge ─► 401 · Forbidden ─► 403
 *                         ─► terminal not registered ─► 403
 *                         ─► gateway draining ─► 503
 *                         ─► no user in the Request-URI ─► 484
 *                         ─► user not up to 32 digits, + * # - . ( ) ─► 404 (DialedDigits)
 *                         ─► no SDP offer, or no PCMU/PCMA in it ─► 488
 *                         ─► 100 Trying, CallManager.start(inmate leg, trunk leg)
 *   request with To tag, CANCEL, ACK ─► the leg of its Call-ID, or 481
 *                                     ─► the leg: its dialog (Call-ID, both tags) and flow, or 481
 *   response, timeout ─► the leg of its Call-ID, or dropped
 * </pre>
 *
 * <p>Threading: the endpoint's event thread only hands each event to this class's single worker,
 * which alone touches the legs' SIP state; the call's thread does the same through the legs'
 * {@code answer}, {@code dial} and {@code end}. Timers (trunk response timeout, session
 * refresh, 2xx retransmission) run on the same worker, so no leg needs a lock. The stack keeps no
 * dialog: the legs keep their own, so nothing a refused request carries reaches any state.
 */
public final class B2bua implements SipResponseListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(B2bua.class);
    /** How long a finished leg still answers for its Call-IDs: 64*T1 (RFC 3261 §17.1.1.2) and slack. */
    static final Duration LINGER = Duration.ofSeconds(40);
    /** Methods routed into dialogs, besides INVITE, ACK and CANCEL. */
    private static final List<String> IN_DIALOG = List.of(Request.BYE, Request.INFO, Request.UPDATE, Request.REFER);

    private final Authenticator authenticator;
    private final Registrations registrations;
    /** The MDC key of the call id, as {@link Call#run} puts it. */
    static final String MDC_CALL = "call";

    private final CallManager calls;
    private final List<Trunk> trunks;
    private final Duration trunkResponseTimeout;
    private final CallMetrics metrics;
    private final SecurityEvents securityEvents;
    private final ScheduledExecutorService worker;
    private final Map<String, SipLeg> legs = new HashMap<>();
    /** SIP Call-ID to the gateway's call id, for the {@value #MDC_CALL} key of log lines about it. */
    private final Map<String, String> callIds = new HashMap<>();

    private SipEndpoint endpoint;

    /**
     * @param trunks               the outbound trunks, tried in order
     * @param trunkResponseTimeout a trunk that sends no response at all within this is skipped for
     *                             the next (sooner than the transaction's 32 s Timer B)
     * @param securityEvents       where refused in-dialog requests are recorded ({@code dialog_mismatch})
     */
    public B2bua(Authenticator authenticator, Registrations registrations, CallManager calls, List<Trunk> trunks,
            Duration trunkResponseTimeout, CallMetrics metrics, SecurityEvents securityEvents) {
        if (trunks.isEmpty()) {
            throw new IllegalArgumentException("trunks: at least one trunk is needed");
        }
        this.authenticator = authenticator;
        this.registrations = registrations;
        this.calls = calls;
        this.trunks = List.copyOf(trunks);
        this.trunkResponseTimeout = trunkResponseTimeout;
        this.metrics = metrics;
        this.securityEvents = securityEvents;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "sip-b2bua");
            t.setDaemon(true);
            return t;
        });
        // Timers (Call-ID lingering, refreshes) die with the worker; cancelled ones leave at once.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
        this.worker = executor;
    }

    /** Routes the call methods and the responses of the endpoint to this B2BUA. */
    public void install(SipEndpoint.Builder builder) {
        builder.handler(Request.INVITE, r -> onWorker(r, () -> invite(r)));
        builder.handler(Request.ACK, r -> onWorker(r, () -> inDialog(r)));
        builder.handler(Request.CANCEL, r -> onWorker(r, () -> inDialog(r)));
        for (String method : IN_DIALOG) {
            builder.handler(method, r -> onWorker(r, () -> inDialog(r)));
        }
        builder.supports("timer");
        builder.responses(this);
    }

    /** Binds the B2BUA to its started endpoint (its provider sends the legs' requests). */
    public void attach(SipEndpoint started) {
        this.endpoint = started;
    }

    @Override
    public void response(ResponseEvent event) {
        String callId = callIdOf(event.getResponse());
        run(() -> {
            SipLeg leg = legs.get(callId);
            if (leg != null) {
                withCallId(callId, () -> leg.response(event));
            } else {
                log.debug("response {} for unknown Call-ID {} dropped", event.getResponse().getStatusCode(), callId);
            }
        });
    }

    @Override
    public void timeout(TimeoutEvent event) {
        Transaction tx = event.isServerTransaction() ? event.getServerTransaction() : event.getClientTransaction();
        if (tx == null || tx.getRequest() == null) {
            return;
        }
        String callId = callIdOf(tx.getRequest());
        run(() -> {
            SipLeg leg = legs.get(callId);
            if (leg != null) {
                withCallId(callId, () -> leg.timeout(event));
            }
        });
    }

    /** Legs currently routed (both sides, every trunk attempt), for tests and metrics. */
    public int routedCallIds() {
        try {
            return worker.submit(legs::size).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("worker unavailable", e);
        }
    }

    /** Stops the worker; calls should have been drained first. */
    @Override
    public void close() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the initial INVITE

    private void invite(InboundRequest inbound) {
        Request request = inbound.request();
        String callId = callIdOf(request);
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            inDialog(inbound);
            return;
        }
        if (legs.get(callId) instanceof InmateSipLeg leg && leg.repeated(inbound)) {
            return;
        }
        if (legs.containsKey(callId)) {
            inbound.respond(Response.LOOP_DETECTED);
            return;
        }
        // The credentials may need the store: looked up off the worker, which must never block.
        Thread.ofVirtual().name("sip-auth").start(() -> {
            AuthResult result;
            try {
                result = authenticator.check(request);
            } catch (RuntimeException e) {
                log.error("INVITE {} not authenticated: the terminal directory failed", callId, e);
                inbound.respond(Response.SERVICE_UNAVAILABLE);
                return;
            }
            onWorker(inbound, () -> authenticated(inbound, result));
        });
    }

    private void authenticated(InboundRequest inbound, AuthResult result) {
        Request request = inbound.request();
        String callId = callIdOf(request);
        if (legs.containsKey(callId)) {
            inbound.respond(Response.LOOP_DETECTED);
            return;
        }
        String username;
        switch (result) {
            case AuthResult.Challenge challenge -> {
                inbound.respond(challenge.response());
                return;
            }
            case AuthResult.Forbidden forbidden -> {
                inbound.respond(Response.FORBIDDEN);
                return;
            }
            case AuthResult.Authenticated ok -> username = ok.terminal().username();
        }
        if (!registrations.isRegistered(username)) {
            log.info("INVITE from terminal '{}' that is not registered refused", username);
            inbound.respond(Response.FORBIDDEN);
            return;
        }
        if (!calls.accepting()) {
            inbound.respond(Response.SERVICE_UNAVAILABLE);
            return;
        }
        String userPart = request.getRequestURI() instanceof SipURI uri ? uri.getUser() : null;
        if (userPart == null || userPart.isBlank()) {
            inbound.respond(Response.ADDRESS_INCOMPLETE);
            return;
        }
        Optional<String> digits = DialedDigits.read(userPart);
        if (digits.isEmpty()) {
            log.info("INVITE from '{}' refused 404: the Request-URI user is not up to {} dialable characters",
                    username, DialedDigits.MAX_LENGTH);
            inbound.respond(Response.NOT_FOUND);
            return;
        }
        String dialed = digits.get();
        Sdp.Reading offer = isSdp(request) ? Sdp.read(body(request)) : new Sdp.Unusable(Sdp.Problem.NO_COMMON_CODEC, "no SDP offer");
        if (!(offer instanceof Sdp.Usable usable)) {
            log.info("INVITE from '{}' refused 488: {}", username, ((Sdp.Unusable) offer).detail());
            inbound.respond(Response.NOT_ACCEPTABLE_HERE);
            return;
        }
        if (inbound.transaction().isEmpty()) {
            inbound.respond(Response.SERVER_INTERNAL_ERROR);
            return;
        }
        inbound.respond(Response.TRYING);
        InmateSipLeg inmate = new InmateSipLeg(this, inbound, username, dialed, usable.negotiated());
        TrunkSipLeg trunk = new TrunkSipLeg(this, trunks, trunkResponseTimeout);
        legs.put(callId, inmate);
        Call call = calls.start(inmate, trunk);
        callIds.put(callId, call.id());
        inmate.attach(call.inbox());
        withCall(call.id(), () -> log.info("call {} from '{}' ({} {}) to '{}', Call-ID {}", call.id(), username,
                inbound.transport(), inbound.source(), dialed, callId));
    }

    private void inDialog(InboundRequest inbound) {
        String callId = callIdOf(inbound.request());
        SipLeg leg = legs.get(callId);
        if (leg != null) {
            withCallId(callId, () -> leg.request(inbound));
        } else {
            refuse(inbound, Mismatch.UNKNOWN_CALL_ID);
        }
    }

    /** Refuses a request that matches no dialog or transaction: 481 (an ACK is dropped), and a security event. */
    void refuse(InboundRequest inbound, Mismatch why) {
        if (inbound.method().equals(Request.CANCEL)) {
            forget(inbound.transaction()); // first: a copy of it sent on at once must reach the leg too
        }
        if (!inbound.method().equals(Request.ACK)) {
            inbound.respond(Response.CALL_OR_TRANSACTION_DOES_NOT_EXIST);
        }
        securityEvents.record(SecurityEvent.DIALOG_MISMATCH, Flow.sourceOf(inbound), inbound.method() + ": " + why.detail());
    }

    // ------------------------------------------------------------------ for the legs

    /** Runs on the worker (from any thread), under the caller's call id in the MDC; failures are logged. */
    void run(Runnable task) {
        String call = MDC.get(MDC_CALL);
        try {
            worker.execute(() -> withCall(call, () -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("SIP call task failed", e);
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("worker stopped: task dropped");
        }
    }

    /** Runs on the worker after {@code delay}. */
    ScheduledFuture<?> later(Duration delay, Runnable task) {
        String call = MDC.get(MDC_CALL);
        return worker.schedule(() -> withCall(call, () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("SIP call timer failed", e);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} with the call id of SIP Call-ID {@code sipCallId}, when known, in the MDC. */
    private void withCallId(String sipCallId, Runnable task) {
        withCall(callIds.get(sipCallId), task);
    }

    private static void withCall(String call, Runnable task) {
        String before = MDC.get(MDC_CALL);
        if (call != null) {
            MDC.put(MDC_CALL, call);
        }
        try {
            task.run();
        } finally {
            if (before != null) {
                MDC.put(MDC_CALL, before);
            } else {
                MDC.remove(MDC_CALL);
            }
        }
    }

    private void onWorker(InboundRequest inbound, Runnable task) {
        run(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("{} from {} failed", inbound.method(), inbound.source(), e);
                if (!inbound.answered() && !inbound.method().equals(Request.ACK)) {
                    inbound.respond(Response.SERVER_INTERNAL_ERROR);
                }
            }
        });
    }

    void route(String callId, SipLeg leg) {
        legs.put(callId, leg);
        String call = MDC.get(MDC_CALL);
        if (call != null) {
            callIds.put(callId, call);
        }
    }

    /** Forgets a Call-ID once late messages for it can no longer matter. */
    void forgetLater(String callId, SipLeg leg) {
        later(LINGER, () -> {
            if (legs.remove(callId, leg)) {
                callIds.remove(callId);
            }
        });
    }

    SipProvider provider() {
        return endpoint.provider();
    }

    /**
     * Takes a server transaction out of the stack once it is answered, where the stack would
     * otherwise answer in the leg's place:
     * <ul>
     *   <li>a terminal's INVITE, once the leg's 2xx has gone (RFC 3261 §17.2.1: a 2xx ends it at
     *       once; the leg's dialog retransmits the 2xx and answers a retransmitted INVITE itself).
     *       Left in the stack, it would have the stack answer 200 to any CANCEL naming its branch,
     *       from anywhere, before the leg could check it (§9.2);</li>
     *   <li>a CANCEL, once answered. It carries its INVITE's branch (§9.1), which anyone who saw
     *       the INVITE knows: left in the stack, a forged CANCEL's transaction would swallow every
     *       later CANCEL with that branch, the terminal's own included. The answer is the same
     *       each time, so a retransmitted CANCEL simply gets it again from the leg.</li>
     * </ul>
     */
    void forget(Optional<ServerTransaction> transaction) {
        if (transaction.orElse(null) instanceof SIPTransaction tx) {
            tx.getSIPStack().removeTransaction(tx);
        }
    }

    SipFactories factories() {
        return endpoint.factories();
    }

    CallMetrics metrics() {
        return metrics;
    }

    /** The gateway's own SIP host (its bind address) and port. */
    String host() {
        return endpoint.config().bindAddress();
    }

    int port() {
        return endpoint.config().port();
    }

    /** A Contact naming the gateway on {@code transport}. */
    ContactHeader contact(String transport) {
        try {
            SipURI uri = factories().addresses().createSipURI("icgw", host());
            uri.setPort(port());
            if (!transport.equalsIgnoreCase("UDP")) {
                uri.setTransportParam(transport.toLowerCase(Locale.ROOT));
            }
            return factories().headers().createContactHeader(factories().addresses().createAddress(uri));
        } catch (ParseException e) {
            throw new IllegalStateException("the bind address is validated", e);
        }
    }

    /** Sets an SDP body. */
    void setSdp(Message message, String sdp) {
        try {
            ContentTypeHeader type = factories().headers().createContentTypeHeader("application", "sdp");
            message.setContent(sdp, type);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A header by name, parsed or as an extension, e.g. {@code Session-Expires}. */
    Header header(String name, String value) {
        try {
            return factories().headers().createHeader(name, value);
        } catch (ParseException e) {
            throw new IllegalArgumentException(name + ": " + value, e);
        }
    }

    static String callIdOf(Message message) {
        return ((CallIdHeader) message.getHeader(CallIdHeader.NAME)).getCallId();
    }

    static boolean isSdp(Message message) {
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        return type != null && message.getRawContent() != null && message.getRawContent().length > 0
                && "application".equalsIgnoreCase(type.getContentType())
                && "sdp".equalsIgnoreCase(type.getContentSubType());
    }

    static Optional<String> contentType(Message message) {
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        return type == null ? Optional.empty() : Optional.of(type.getContentType() + "/" + type.getContentSubType());
    }

    static String body(Message message) {
        byte[] raw = message.getRawContent();
        return raw == null ? "" : new String(raw, StandardCharsets.UTF_8);
    }

    /** Posts a digit or flash from an INFO to the call; answers the INFO. */
    void info(InboundRequest inbound, org.icgw.media.Leg leg, java.util.function.Consumer<CallEvent> call) {
        InfoBody body = InfoBody.read(contentType(inbound.request()), body(inbound.request()));
        switch (body) {
            case InfoBody.Digit d -> {
                inbound.respond(Response.OK);
                metrics.digit(CallEvent.DigitMethod.SIP_INFO);
                call.accept(new CallEvent.Digit(leg, d.digit(), CallEvent.DigitMethod.SIP_INFO));
            }
            case InfoBody.Flash f -> {
                inbound.respond(Response.OK);
                call.accept(new CallEvent.ThreeWaySignal(leg, "info_flash"));
            }
            case InfoBody.Empty e -> inbound.respond(Response.OK);
            case InfoBody.Unsupported u -> {
                Response response = inbound.response(Response.UNSUPPORTED_MEDIA_TYPE);
                try {
                    for (String type : InfoBody.ACCEPT.split(",\\s*")) {
                        String[] parts = type.split("/");
                        response.addHeader(factories().headers().createAcceptHeader(parts[0], parts[1]));
                    }
                } catch (ParseException e) {
                    throw new IllegalStateException(e);
                }
                inbound.respond(response);
            }
            case InfoBody.Malformed m -> {
                log.debug("INFO body refused: {}", m.detail());
                inbound.respond(Response.BAD_REQUEST);
            }
        }
    }
}
