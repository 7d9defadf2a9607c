package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.call.Call;
import org.icgw.gateway.call.CallState;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.store.CdrQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Forged in-dialog requests against a real call over loopback: in each state the legs go through
 * (PIN entry, trunk ringing, callee menu, bridged), every method is sent toward the inmate leg's
 * and the trunk leg's dialog, each with a wrong tag from the right address and with the right tags
 * from a wrong address (127.0.0.2, or another port of 127.0.0.1). Each must be refused 481 (an
 * ACK dropped), counted as a {@code dialog_mismatch} security event, and change nothing: the real
 * PIN still works on the first try, the real menu digit accepts, the call ends only by the real
 * BYE, and the CDR is exactly a one-increment completed call without three-way detections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DialogForgeryTest {

    static final Duration WAIT = GatewayCallTest.WAIT;
    /** CSeq numbers of forgeries: far above the real ones, so a counter they moved would refuse the real requests. */
    static final long FORGED_CSEQ = 1_000_000;

    @TempDir
    Path data;

    Gateway gateway;
    FakeTerminal phone;
    FakeTrunk trunk;
    /** A forger on another loopback address. */
    SipPeer otherAddress;
    /** A forger on the peers' address, another port. */
    SipPeer otherPort;
    int sipPort;
    long cseq = FORGED_CSEQ;
    int forged;

    /** Where a call is when the forgeries come. */
    enum Stage { PIN_ENTRY, RINGING, CALLEE_MENU, BRIDGED }

    /** How a forgery differs from the real request. */
    enum Forgery {
        /** From the right address, with a To tag that is not the gateway's; a CANCEL: another Via branch. */
        WRONG_TO_TAG,
        /** From the right address, with a From tag that is not the peer's. */
        WRONG_FROM_TAG,
        /** The real request, byte for byte, from another loopback address. */
        OTHER_ADDRESS,
        /** The real request, byte for byte, from another port of the peer's address. */
        OTHER_PORT
    }

    /** What is forged. */
    enum Method { BYE, CANCEL, INFO_DIGIT, INFO_FLASH, REINVITE_HOLD, UPDATE_HOLD, REFER, ACK }

    @BeforeEach
    void start() throws Exception {
        sipPort = FreePorts.udpAndTcp();
        trunk = new FakeTrunk(sipPort);
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = DialogForgeryTest.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        gateway = Gateway.start(GatewayCallTest.config(data, sipPort, seed, List.of(trunk.port())));
        phone = new FakeTerminal(sipPort, "pod-1", "pod-1-secret");
        otherAddress = new SipPeer(InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
        otherPort = new SipPeer();
        assertThat(phone.register()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (SipPeer peer : new SipPeer[] {phone, trunk, otherAddress, otherPort}) {
            if (peer != null) {
                peer.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Stage.class)
    void forgedRequestsAreRefusedAndChangeNothing(Stage stage) throws Exception {
        assertThat(phone.invite(GatewayCallTest.CALLEE, phone.sdp()).status()).isEqualTo(200);
        phone.ack();
        awaitState(CallState.PIN_ENTRY);
        if (stage == Stage.PIN_ENTRY) {
            forgeTowardTheInmateLeg('9');
        }
        phone.infoDigits(GatewayCallTest.PIN);
        // A forged digit taken as part of the PIN would have made it wrong: no INVITE to the trunk.
        trunk.awaitInvite();
        awaitState(CallState.DIALING);
        if (stage == Stage.RINGING) {
            trunk.respond(180, "Ringing");
            forgeTowardTheInmateLeg('9');
            forgeTowardTheTrunkLeg();
        }
        trunk.answer();
        awaitState(CallState.CALLEE_MENU);
        if (stage == Stage.CALLEE_MENU) {
            forgeTowardTheInmateLeg('9');
            forgeTowardTheTrunkLeg();
            assertThat(state()).contains(CallState.CALLEE_MENU);
        }
        Instant beforeAccept = Instant.now();
        assertThat(trunk.infoDigit("application/dtmf-relay", "Signal=1\r\nDuration=160\r\n")).isEqualTo(200);
        awaitState(CallState.BRIDGED);
        if (stage == Stage.BRIDGED) {
            forgeTowardTheInmateLeg('9');
            forgeTowardTheTrunkLeg();
            forgeAnAnswerOfTheTrunk();
        }

        awaitEvents(forged);
        assertThat(state()).contains(CallState.BRIDGED);
        assertThat(phone.bye()).isEqualTo(200);
        trunk.awaitAndAnswer("BYE", 200, "OK");

        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.acceptedAt()).hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(beforeAccept));
        assertThat(cdr.billedSeconds()).isEqualTo(60);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(cdr.threeWayDetections()).isEmpty();
        assertThat(gateway.store().account(GatewayCallTest.ACCOUNT).orElseThrow().balanceCents()).isEqualTo(1995);
        assertThat(gateway.sip().events().count(SecurityEvent.DIALOG_MISMATCH)).isEqualTo(forged);
        assertThat(gateway.meters().scrape())
                .contains("icgw_dtmf_digits_total{method=\"sip_info\"} 7")
                .containsPattern("icgw_security_events_total\\{type=\"dialog_mismatch\"} " + forged + "(\\.0)?\n")
                .doesNotContainPattern("icgw_three_way_detections_total\\{signal=\"[a-z_0-9]+\"} [1-9]");
    }

    @Test
    void cancelDuringRingingMustMatchTheInviteAndTheInmatesHangUpAbandons() throws Exception {
        assertThat(phone.invite(GatewayCallTest.CALLEE, phone.sdp()).status()).isEqualTo(200);
        phone.ack();
        phone.infoDigits(GatewayCallTest.PIN);
        trunk.awaitInvite();
        trunk.respond(180, "Ringing");
        awaitState(CallState.DIALING);

        String cancel = phone.cancelText();
        assertThat(send(phone, withVia(cancel, phone.via()), "CANCEL").status()).isEqualTo(481);
        assertThat(send(phone, withTag(cancel, "From", SipFactories.newTag()), "CANCEL").status()).isEqualTo(481);
        assertThat(send(otherAddress, cancel, "CANCEL").status()).isEqualTo(481);
        // The INVITE it names was answered long ago: a CANCEL matching it is answered and has no effect (§9.2).
        assertThat(send(phone, cancel, "CANCEL").status()).isEqualTo(200);
        awaitEvents(3);
        assertThat(trunk.poll(SipPeer.request("CANCEL"), Duration.ofMillis(300))).isEmpty();
        assertThat(state()).contains(CallState.DIALING);

        // The inmate hangs up: the gateway cancels the trunk's INVITE.
        assertThat(phone.bye()).isEqualTo(200);
        trunk.awaitAndAnswer("CANCEL", 200, "OK");
        trunk.respond(487, "Request Terminated");
        trunk.await(SipPeer.request("ACK"), WAIT, "ACK of the 487");
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.CALLER_ABANDONED);
        assertThat(cdr.billedSeconds()).isZero();
        assertThat(cdr.chargeCents()).isZero();
        assertThat(cdr.threeWayDetections()).isEmpty();
        assertThat(gateway.store().account(GatewayCallTest.ACCOUNT).orElseThrow().balanceCents()).isEqualTo(2000);
        assertThat(gateway.sip().events().count(SecurityEvent.DIALOG_MISMATCH)).isEqualTo(3);
    }

    @Test
    void theAnsweredInviteRetransmittedGetsTheSame2xxButNotFromAnotherAddress() throws Exception {
        SipMessage ok = phone.invite(GatewayCallTest.CALLEE, phone.sdp());
        assertThat(ok.status()).isEqualTo(200);
        phone.ack();
        awaitState(CallState.PIN_ENTRY);

        String invite = phone.lastInvite();
        SipMessage again = send(phone, invite, "INVITE");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.toTag()).isEqualTo(ok.toTag());
        assertThat(again.body()).isEqualTo(ok.body());
        // The same INVITE from elsewhere is no retransmission: an INVITE for a Call-ID in use (482).
        assertThat(send(otherAddress, invite, "INVITE").status()).isEqualTo(482);
        assertThat(gateway.calls().active()).hasSize(1);

        assertThat(phone.bye()).isEqualTo(200);
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.CALLER_ABANDONED);
        assertThat(cdr.chargeCents()).isZero();
        assertThat(gateway.store().callRecords(CdrQuery.all())).hasSize(1);
    }

    // ------------------------------------------------------------------ forging

    /** Every method with every forgery toward the inmate leg; the phone's own CANCEL, matching, gets 200. */
    void forgeTowardTheInmateLeg(char digit) throws Exception {
        for (Method m : Method.values()) {
            for (Forgery f : Forgery.values()) {
                String real = switch (m) {
                    case CANCEL -> phone.cancelText();
                    case ACK -> phone.ackText();
                    default -> realRequest(m, digit, (method, headers, type, body) ->
                            phone.requestText(method, headers, type, body, cseq++), phone);
                };
                forge(phone, real, m, f);
            }
        }
        assertThat(send(phone, phone.cancelText(), "CANCEL").status()).isEqualTo(200);
    }

    /** Every method with every forgery toward the trunk leg (a CANCEL there matches nothing at all). */
    void forgeTowardTheTrunkLeg() throws Exception {
        for (Method m : Method.values()) {
            for (Forgery f : Forgery.values()) {
                String real = switch (m) {
                    case CANCEL -> trunk.requestText("CANCEL", "", null, "", cseq++);
                    case ACK -> trunk.requestText("ACK", "", null, "", cseq++);
                    default -> realRequest(m, '1', (method, headers, type, body) ->
                            trunk.requestText(method, headers, type, body, cseq++), trunk);
                };
                forge(trunk, real, m, f);
            }
        }
    }

    /**
     * A 2xx to the gateway's INVITE with another To tag and a Contact of the forger's: from another
     * address it is dropped; from the trunk's own address it is a fork, ACKed and hung up there.
     */
    void forgeAnAnswerOfTheTrunk() throws Exception {
        String fork = trunk.invite().response(200, "OK", SipFactories.newTag(),
                "Contact: <sip:fork@127.0.0.1:" + otherPort.port() + ">\r\n", otherPort.sdp());
        otherAddress.send(fork, sipPort);
        assertThat(otherPort.poll(SipMessage::isRequest, Duration.ofMillis(300))).isEmpty();
        trunk.send(fork, sipPort);
        otherPort.await(SipPeer.request("ACK"), WAIT, "ACK of the forked 2xx");
        otherPort.await(SipPeer.request("BYE"), WAIT, "BYE of the forked dialog");
    }

    interface RequestText {
        String of(String method, String extraHeaders, String contentType, String body);
    }

    static String realRequest(Method m, char digit, RequestText text, SipPeer peer) {
        return switch (m) {
            case BYE -> text.of("BYE", "", null, "");
            case INFO_DIGIT -> text.of("INFO", "", "application/dtmf-relay", "Signal=" + digit + "\r\nDuration=160\r\n");
            case INFO_FLASH -> text.of("INFO", "", "application/dtmf-relay", "Signal=16\r\nDuration=300\r\n");
            case REINVITE_HOLD -> text.of("INVITE", "", "application/sdp", peer.sdp("0 101", "sendonly", "127.0.0.1"));
            case UPDATE_HOLD -> text.of("UPDATE", "", "application/sdp", peer.sdp("0", "sendrecv", "0.0.0.0"));
            case REFER -> text.of("REFER", "Refer-To: <sip:+15735550999@127.0.0.1>\r\n", null, "");
            case CANCEL, ACK -> throw new IllegalArgumentException(m.name());
        };
    }

    /** Sends {@code real} forged as {@code f} says; every answer must be 481, an ACK gets none. */
    void forge(SipPeer rightPeer, String real, Method m, Forgery f) throws Exception {
        SipPeer from = switch (f) {
            case WRONG_TO_TAG, WRONG_FROM_TAG -> rightPeer;
            case OTHER_ADDRESS -> otherAddress;
            case OTHER_PORT -> otherPort;
        };
        String text = switch (f) {
            case WRONG_TO_TAG -> m == Method.CANCEL ? withVia(real, rightPeer.via()) : withTag(real, "To", SipFactories.newTag());
            case WRONG_FROM_TAG -> withTag(real, "From", SipFactories.newTag());
            case OTHER_ADDRESS, OTHER_PORT -> real; // the answer goes to the source all the same (received, rport)
        };
        forged++;
        if (m == Method.ACK) {
            from.send(text, sipPort);
            return;
        }
        String method = SipMessage.parse(text).method();
        assertThat(send(from, text, method).status()).as("%s forged as %s", m, f).isEqualTo(481);
    }

    /** Sends a request from {@code peer} and waits for its final response. */
    SipMessage send(SipPeer peer, String text, String method) throws Exception {
        SipMessage request = SipMessage.parse(text);
        peer.send(text, sipPort);
        return peer.await(r -> SipPeer.finalResponse(method).test(r) && r.callId().equals(request.callId())
                && r.cseqNumber() == request.cseqNumber(), WAIT, method + " response");
    }

    static final Pattern VIA = Pattern.compile("(?m)^Via: [^\r\n]*");

    /** {@code text} with another top Via (a CANCEL with it names another transaction). */
    static String withVia(String text, String via) {
        return VIA.matcher(text).replaceFirst(Matcher.quoteReplacement("Via: " + via));
    }

    static String withTag(String text, String header, String tag) {
        Matcher m = Pattern.compile("(?m)^(" + header + ": [^\r\n]*;tag=)([^;\\s>]+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + header + " tag in " + text);
        }
        return text.substring(0, m.start(2)) + tag + text.substring(m.end(2));
    }

    // ------------------------------------------------------------------ observing

    Optional<CallState> state() {
        return gateway.calls().active().stream().map(Call::state).findFirst();
    }

    void awaitState(CallState state) {
        GatewayCallTest.await(() -> state().filter(s -> s == state), "a call in state " + state);
    }

    /** Waits until exactly this many dialog mismatches were recorded (ACKs have no answer to wait for). */
    void awaitEvents(long expected) {
        GatewayCallTest.await(() -> Optional.of(gateway.sip().events().count(SecurityEvent.DIALOG_MISMATCH)).filter(c -> c >= expected),
                expected + " dialog mismatches");
        assertThat(gateway.sip().events().count(SecurityEvent.DIALOG_MISMATCH)).isEqualTo(expected);
    }

    CallRecord awaitCdr() {
        return GatewayCallTest.await(() -> gateway.store().callRecords(CdrQuery.all()).stream().findFirst(), "a CDR");
    }
}
