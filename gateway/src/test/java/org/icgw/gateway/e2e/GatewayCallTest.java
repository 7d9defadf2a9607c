package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.icgw.gateway.admin.AdminConfig;
import org.icgw.gateway.admin.AdminScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.call.Call;
import org.icgw.gateway.call.CallSettings;
import org.icgw.gateway.call.CallState;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.b2bua.Trunk;
import org.icgw.media.MediaEngineConfig;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.pin.PinHasher;
import org.icgw.policy.store.CdrQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole calls through a real {@link Gateway} over loopback: a hand-written terminal registers and
 * calls, two hand-written trunks answer as each test needs, and the test checks the SIP each side
 * saw, then the CDR, the charge and the balance in the store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayCallTest {

    static final String PIN = "424242";
    static final String PEPPER = "test-pepper-0123456789";
    static final String CALLEE = "5735550123";
    static final String ACCOUNT = "acct-family";
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path data;

    Gateway gateway;
    FakeTerminal phone;
    FakeTrunk trunk;
    FakeTrunk trunk2;
    int httpPort;

    /** The Prometheus text as a scraper gets it: GET /metrics over HTTP. */
    String scrape() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        }
    }

    @BeforeEach
    void start() throws Exception {
        int port = FreePorts.udpAndTcp();
        trunk = new FakeTrunk(port);
        trunk2 = new FakeTrunk(port);
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = GatewayCallTest.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        httpPort = FreePorts.udpAndTcp();
        gateway = Gateway.start(config(data, port, seed, List.of(trunk.port(), trunk2.port()))
                .withAdmin(Optional.of(new AdminConfig(InetAddress.getLoopbackAddress(), httpPort,
                        Map.of("e2e-staff-token-0123456789", AdminScope.STAFF), AdminConfig.DEFAULT_MAX_BODY_BYTES))));
        phone = new FakeTerminal(port, "pod-1", "pod-1-secret");
        assertThat(phone.register()).isEqualTo(200);
    }

    /** A test configuration: free ports, fast PIN hashing, short timeouts, the test seed. */
    static GatewayConfig config(Path data, int sipPort, Path seed, List<Integer> trunkPorts) throws Exception {
        int rtpBase = 30_000 + 2 * ThreadLocalRandom.current().nextInt(0, 4_000);
        List<Trunk> trunks = trunkPorts.stream().map(p -> new Trunk("127.0.0.1", p, "UDP")).toList();
        return GatewayConfig.defaults(data, PEPPER)
                .withSip(SipEndpointConfig.defaults("127.0.0.1").withPort(sipPort).withRateLimit(1000, 1000))
                .withMedia(new MediaEngineConfig(1, rtpBase, rtpBase + 199, false))
                .withCalls(CallSettings.defaults(InetAddress.getLoopbackAddress(), data.resolve("recordings"))
                        .withDigitTimeout(Duration.ofSeconds(2)).withNoAnswer(Duration.ofSeconds(8))
                        .withMediaTimeout(Duration.ofSeconds(20)))
                .withTrunks(new GatewayConfig.Trunks(trunks, Duration.ofSeconds(2)))
                .withPins(new GatewayConfig.Pins(PEPPER, PinHasher.Cost.FAST))
                .withSeed(Optional.of(seed))
                .withDrain(Duration.ZERO);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (SipPeer peer : new SipPeer[] {phone, trunk, trunk2}) {
            if (peer != null) {
                peer.close();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Calls the callee, enters the PIN by SIP INFO, and returns the trunk's INVITE. */
    SipMessage dialAndEnterPin(FakeTrunk expected) throws Exception {
        SipMessage ok = phone.invite(CALLEE, phone.sdp());
        assertThat(ok.status()).isEqualTo(200);
        phone.ack();
        phone.infoDigits(PIN);
        return expected.awaitInvite();
    }

    CallRecord awaitCdr() {
        return await(() -> gateway.store().callRecords(CdrQuery.all()).stream().findFirst(), "a CDR");
    }

    void awaitState(CallState state) {
        await(() -> gateway.calls().active().stream().map(Call::state).filter(s -> s == state).findFirst(),
                "a call in state " + state);
    }

    long balance() {
        return gateway.store().account(ACCOUNT).orElseThrow().balanceCents();
    }

    static <T> T await(Supplier<Optional<T>> what, String description) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<T> value = what.get();
            if (value.isPresent()) {
                return value.get();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new AssertionError("no " + description + " within " + WAIT);
    }

    // ------------------------------------------------------------------ calls

    @Test
    void acceptedCallIsBridgedCompletedAndChargedOneIncrement() throws Exception {
        SipMessage invite = dialAndEnterPin(trunk);

        assertThat(invite.requestUri()).isEqualTo("sip:+15735550123@127.0.0.1:" + trunk.port());
        assertThat(invite.header("From").orElseThrow()).contains("sip:+15735550100@127.0.0.1");
        assertThat(invite.callId()).isNotEqualTo(phone.callId());
        assertThat(invite.body()).contains("m=audio ").contains("RTP/AVP 0 8 101");
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitState(CallState.BRIDGED);
        assertThat(phone.request("INFO", "text/plain", "hello")).isEqualTo(415);

        assertThat(phone.bye()).isEqualTo(200);
        trunk.awaitAndAnswer("BYE", 200, "OK");

        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.normalized()).contains("+15735550123");
        assertThat(cdr.billedSeconds()).isEqualTo(60);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(cdr.accountId()).contains(ACCOUNT);
        assertThat(balance()).isEqualTo(1995);
        await(() -> Optional.of(gateway.meters().scrape())
                .filter(t -> t.contains("icgw_calls_total{disposition=\"completed\"} 1")), "the completed call counted");
        assertThat(scrape())
                .contains("icgw_calls_total{disposition=\"completed\"} 1")
                .contains("icgw_calls_total{disposition=\"refused\"} 0")
                .contains("icgw_three_way_detections_total{signal=\"hold_reinvite\"} 0")
                .containsPattern("icgw_rtp_packets_total\\{direction=\"out\"} [1-9]")
                .contains("icgw_dtmf_digits_total{method=\"sip_info\"} 7")
                .contains("icgw_call_setup_seconds_count 1")
                .contains("icgw_registrations_active 1")
                .contains("icgw_calls_active 0")
                .contains("icgw_trunk_attempts_total{trunk=\"127.0.0.1:" + trunk.port() + "/UDP\"} 1")
                .doesNotContain("icgw_trunk_failures_total{")
                .containsPattern("icgw_store_seconds_count\\{op=\"read\",outcome=\"ok\"} [1-9]")
                .containsPattern("icgw_store_seconds_count\\{op=\"write\",outcome=\"ok\"} [1-9]");
    }

    @Test
    void endedCallsLeaveNoStateButTheirLingeringCallIds() throws Exception {
        List<WeakReference<Call>> ended = new ArrayList<>();
        for (int n = 1; n <= 3; n++) {
            dialAndEnterPin(trunk);
            trunk.answer();
            assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
            awaitState(CallState.BRIDGED);
            ended.add(new WeakReference<>(gateway.calls().active().iterator().next()));
            assertThat(phone.bye()).isEqualTo(200);
            trunk.awaitAndAnswer("BYE", 200, "OK");
            int cdrs = n;
            await(() -> Optional.of(gateway.store().callRecords(CdrQuery.all()).size()).filter(c -> c == cdrs),
                    n + " CDRs");
            await(() -> Optional.of(gateway.calls().active()).filter(java.util.Collection::isEmpty), "no call in progress");
        }

        assertThat(gateway.calls().pendingStoreWrites()).isZero();
        assertThat(gateway.sip().openDialogs()).isZero();
        // The B2BUA still answers late requests for both legs of each call (B2bua.LINGER) ...
        assertThat(gateway.b2bua().routedCallIds()).isEqualTo(6);
        // ... and what it keeps for them holds neither the calls nor their media sessions.
        await(() -> {
            System.gc();
            return ended.stream().allMatch(r -> r.get() == null) ? Optional.of(true) : Optional.empty();
        }, "the ended calls collected");
        assertThat(balance()).isEqualTo(2000 - 3 * 5);
    }

    @Test
    void calleeRefusesWithTwo() throws Exception {
        dialAndEnterPin(trunk);
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf-relay", "Signal=2\r\nDuration=100\r\n")).isEqualTo(200);

        phone.awaitBye();
        trunk.awaitAndAnswer("BYE", 200, "OK");
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.REFUSED);
        assertThat(cdr.chargeCents()).isZero();
        assertThat(cdr.calleeAnsweredAt()).isPresent();
        assertThat(cdr.acceptedAt()).isEmpty();
        assertThat(balance()).isEqualTo(2000);
    }

    @Test
    void busyTrunkIsNotFailedOverAndNotCharged() throws Exception {
        dialAndEnterPin(trunk);
        trunk.respond(486, "Busy Here");
        trunk.await(SipPeer.request("ACK"), WAIT, "ACK of the 486");

        phone.awaitBye();
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.BUSY);
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance()).isEqualTo(2000);
        assertThat(trunk2.poll(SipPeer.request("INVITE"), Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void serviceUnavailableFailsOverToTheSecondTrunk() throws Exception {
        SipMessage first = dialAndEnterPin(trunk);
        trunk.respond(503, "Service Unavailable");
        SipMessage second = trunk2.awaitInvite();

        assertThat(second.callId()).isNotEqualTo(first.callId());
        assertThat(second.requestUri()).isEqualTo("sip:+15735550123@127.0.0.1:" + trunk2.port());
        trunk2.answer();
        assertThat(trunk2.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitState(CallState.BRIDGED);
        assertThat(trunk2.bye()).isEqualTo(200);

        phone.awaitBye();
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance()).isEqualTo(1995);
        assertThat(gateway.meters().scrape())
                .contains("icgw_trunk_attempts_total{trunk=\"127.0.0.1:" + trunk.port() + "/UDP\"} 1")
                .contains("icgw_trunk_attempts_total{trunk=\"127.0.0.1:" + trunk2.port() + "/UDP\"} 1")
                .contains("icgw_trunk_failures_total{status=\"503\",trunk=\"127.0.0.1:" + trunk.port() + "/UDP\"} 1")
                .doesNotContain("icgw_trunk_failures_total{status=\"503\",trunk=\"127.0.0.1:" + trunk2.port());
    }

    @Test
    void sixHundredsFailOverAndEveryTrunkFailingIsATrunkFailure() throws Exception {
        dialAndEnterPin(trunk);
        trunk.respond(600, "Busy Everywhere");
        trunk.await(SipPeer.request("ACK"), WAIT, "ACK of the 600");
        trunk2.awaitInvite();
        trunk2.respond(603, "Decline");
        trunk2.await(SipPeer.request("ACK"), WAIT, "ACK of the 603");

        phone.awaitBye();
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.TRUNK_FAILURE);
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance()).isEqualTo(2000);
        assertThat(gateway.meters().scrape())
                .contains("icgw_trunk_failures_total{status=\"600\",trunk=\"127.0.0.1:" + trunk.port() + "/UDP\"} 1")
                .contains("icgw_trunk_failures_total{status=\"603\",trunk=\"127.0.0.1:" + trunk2.port() + "/UDP\"} 1");
    }

    @Test
    void silentTrunkIsSkippedAndABusySecondTrunkMeansBusy() throws Exception {
        dialAndEnterPin(trunk);
        SipMessage second = trunk2.awaitInvite();
        trunk2.respond(486, "Busy Here");

        phone.awaitBye();
        assertThat(second.callId()).isNotEqualTo(trunk.invite().callId());
        assertThat(awaitCdr().disposition()).isEqualTo(Disposition.BUSY);
    }

    @Test
    void inmateHangingUpWhileTheCalleeRingsCancelsTheTrunk() throws Exception {
        dialAndEnterPin(trunk);
        trunk.respond(100, "Trying");
        trunk.respond(180, "Ringing");
        awaitState(CallState.DIALING);

        assertThat(phone.bye()).isEqualTo(200);
        SipMessage cancel = trunk.awaitAndAnswer("CANCEL", 200, "OK");
        trunk.respond(487, "Request Terminated");
        trunk.await(SipPeer.request("ACK"), WAIT, "ACK of the 487");

        assertThat(cancel.callId()).isEqualTo(trunk.invite().callId());
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.CALLER_ABANDONED);
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance()).isEqualTo(2000);
    }

    @Test
    void calleePuttingTheCallOnHoldIsAThreeWayAttempt() throws Exception {
        dialAndEnterPin(trunk);
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitState(CallState.BRIDGED);

        SipMessage ok = trunk.request("INVITE", "", "application/sdp", trunk.sdp("0 101", "sendonly", "127.0.0.1"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).contains("a=recvonly").contains("RTP/AVP 0 101");
        trunk.ackReinvite(ok);

        phone.awaitBye();
        trunk.awaitAndAnswer("BYE", 200, "OK");
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(cdr.threeWayDetections()).extracting(d -> d.signal()).containsExactly("hold_reinvite");
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance()).isEqualTo(1995);
    }

    @Test
    void offerWithoutG711IsRefused488() throws Exception {
        SipMessage response = phone.invite(CALLEE, phone.sdp("18", "sendrecv", "127.0.0.1"));

        assertThat(response.status()).isEqualTo(488);
        assertThat(gateway.calls().active()).isEmpty();
    }

    @Test
    void unregisteredTerminalIsChallengedThenRefused403() throws Exception {
        try (FakeTerminal other = new FakeTerminal(gateway.config().sip().port(), "pod-2", "pod-2-secret")) {
            assertThat(other.inviteUnauthenticated(CALLEE, other.sdp()).status()).isEqualTo(401);
            assertThat(other.invite(CALLEE, other.sdp()).status()).isEqualTo(403);
        }
        try (FakeTerminal stranger = new FakeTerminal(gateway.config().sip().port(), "nobody", "x")) {
            assertThat(stranger.invite(CALLEE, stranger.sdp()).status()).isEqualTo(403);
        }
        assertThat(gateway.store().callRecords(CdrQuery.all())).isEmpty();
    }

    @Test
    void sessionTimerRefreshedByTheGatewayWhenTheTrunkSaysSo() throws Exception {
        dialAndEnterPin(trunk);
        trunk.answer("Session-Expires: 2;refresher=uac\r\nRequire: timer\r\n");
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);

        SipMessage refresh = trunk.await(m -> SipPeer.request("INVITE").test(m) && m.toTag().isPresent(), WAIT,
                "refresh re-INVITE");
        assertThat(refresh.callId()).isEqualTo(trunk.invite().callId());
        assertThat(refresh.header("Session-Expires").orElseThrow()).startsWith("2").contains("refresher=uac");
        assertThat(refresh.body()).contains("a=sendrecv");
        trunk.answerWithSdp(refresh, "Session-Expires: 2;refresher=uac\r\nRequire: timer\r\n");
        trunk.await(m -> SipPeer.request("ACK").test(m) && m.cseqNumber() == refresh.cseqNumber(), WAIT,
                "ACK of the refresh");
        assertThat(trunk.bye()).isEqualTo(200);

        phone.awaitBye();
        assertThat(awaitCdr().disposition()).isEqualTo(Disposition.COMPLETED);
    }

    /** How the callee tries a three-way call once the call is bridged. */
    enum Attempt { REFER, UPDATE_ZERO_ADDRESS, REINVITE_INACTIVE, INFO_FLASH }

    @ParameterizedTest
    @EnumSource(Attempt.class)
    void threeWaySignalsFromTheCalleeDisconnect(Attempt attempt) throws Exception {
        dialAndEnterPin(trunk);
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitState(CallState.BRIDGED);

        String expected = switch (attempt) {
            case REFER -> {
                SipMessage r = trunk.request("REFER", "Refer-To: <sip:+15735550999@127.0.0.1>\r\n", null, "");
                assertThat(r.status()).isEqualTo(403);
                yield "refer";
            }
            case UPDATE_ZERO_ADDRESS -> {
                SipMessage r = trunk.request("UPDATE", "", "application/sdp", trunk.sdp("0", "sendrecv", "0.0.0.0"));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).contains("c=IN IP4 127.0.0.1").contains("a=sendrecv");
                yield "hold_reinvite";
            }
            case REINVITE_INACTIVE -> {
                SipMessage r = trunk.request("INVITE", "", "application/sdp", trunk.sdp("0", "inactive", "127.0.0.1"));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).contains("a=inactive");
                trunk.ackReinvite(r);
                yield "hold_reinvite";
            }
            case INFO_FLASH -> {
                assertThat(trunk.infoDigit("application/dtmf-relay", "Signal=16\r\nDuration=300\r\n")).isEqualTo(200);
                yield "info_flash";
            }
        };

        phone.awaitBye();
        trunk.awaitAndAnswer("BYE", 200, "OK");
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(cdr.threeWayDetections()).extracting(d -> d.signal()).containsExactly(expected);
    }

    @Test
    void provisional181IsAThreeWayAttemptAndCancelsTheTrunk() throws Exception {
        dialAndEnterPin(trunk);
        trunk.respond(181, "Call Is Being Forwarded");

        trunk.awaitAndAnswer("CANCEL", 200, "OK");
        trunk.respond(487, "Request Terminated");
        phone.awaitBye();
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(cdr.threeWayDetections()).extracting(d -> d.signal()).containsExactly("provisional_181");
        assertThat(cdr.chargeCents()).isZero();
    }

    @Test
    void redirectIsAThreeWayAttemptAndNotFollowed() throws Exception {
        dialAndEnterPin(trunk);
        trunk.respond(302, "Moved Temporarily", "");
        trunk.await(SipPeer.request("ACK"), WAIT, "ACK of the 302");

        phone.awaitBye();
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(cdr.threeWayDetections()).extracting(d -> d.signal()).containsExactly("redirect_3xx");
        assertThat(trunk2.poll(SipPeer.request("INVITE"), Duration.ofMillis(300))).isEmpty();
        assertThat(balance()).isEqualTo(2000);
    }

    @Test
    void calleeSessionRefreshIsAnsweredAndAMissingRefreshEndsTheCall() throws Exception {
        dialAndEnterPin(trunk);
        trunk.answer("Session-Expires: 3;refresher=uas\r\nRequire: timer\r\n");
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitState(CallState.BRIDGED);

        SipMessage refreshed = trunk.request("INVITE", "Session-Expires: 3;refresher=uac\r\nSupported: timer\r\n",
                "application/sdp", trunk.sdp());
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.body()).contains("a=sendrecv");
        assertThat(refreshed.header("Session-Expires").orElseThrow()).startsWith("3").contains("refresher=uac");
        trunk.ackReinvite(refreshed);

        // RFC 4028 §10: no further refresh within the interval: the gateway ends the session.
        trunk.awaitAndAnswer("BYE", 200, "OK");
        phone.awaitBye();
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.threeWayDetections()).isEmpty();
    }

    @Test
    void inmateHoldGetsTheSameAnswerAndIsNotAThreeWayAttempt() throws Exception {
        dialAndEnterPin(trunk);
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitState(CallState.BRIDGED);

        SipMessage ok = phone.requestMessage("INVITE", "application/sdp", phone.sdp("0 8 101", "sendonly", "127.0.0.1"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(phone.answer().body());
        phone.ack(ok);
        assertThat(phone.bye()).isEqualTo(200);

        trunk.awaitAndAnswer("BYE", 200, "OK");
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.threeWayDetections()).isEmpty();
    }

    @Test
    void drainingGatewayRefusesNewCalls503() throws Exception {
        gateway.calls().shutdown(Duration.ZERO);

        assertThat(phone.invite(CALLEE, phone.sdp()).status()).isEqualTo(503);
    }
}
