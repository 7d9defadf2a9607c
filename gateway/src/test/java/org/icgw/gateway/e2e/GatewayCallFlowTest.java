package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.call.Call;
import org.icgw.gateway.call.CallState;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.media.announce.Mixer;
import org.icgw.media.announce.Prompt;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.media.announce.ToneGenerator;
import org.icgw.media.codec.G711;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Facility;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.icgw.policy.store.CdrQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call flow's later steps through a real {@link Gateway} over loopback, with the helpers of
 * {@link GatewayCallTest}: the access code, three-way signals the SIP and RTP of the callee carry
 * once bridged, the facility's and a privileged number's three-way action, the periodic
 * announcement and the investigator's cut-off. Each test checks the CDR (disposition, detections
 * with signal and action, charge), the balance and the recording.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayCallFlowTest {

    static final String PIN = GatewayCallTest.PIN;
    static final String CALLEE = GatewayCallTest.CALLEE;
    static final String ATTORNEY = "5735550188";
    static final Duration WAIT = GatewayCallTest.WAIT;

    @TempDir
    Path data;

    Gateway gateway;
    FakeTerminal phone;
    FakeTrunk trunk;

    @BeforeEach
    void start() throws Exception {
        int port = FreePorts.udpAndTcp();
        trunk = new FakeTrunk(port);
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = GatewayCallFlowTest.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        gateway = Gateway.start(GatewayCallTest.config(data, port, seed, List.of(trunk.port())));
        phone = new FakeTerminal(port, "pod-1", "pod-1-secret");
        assertThat(phone.register()).isEqualTo(200);
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        for (SipPeer peer : new SipPeer[] {phone, trunk}) {
            if (peer != null) {
                peer.close();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Calls {@code dialed}, enters the PIN, has the trunk answer and the callee accept with 1. */
    Call bridge(String dialed) throws Exception {
        assertThat(phone.invite(dialed, phone.sdp()).status()).isEqualTo(200);
        phone.ack();
        phone.infoDigits(PIN);
        trunk.awaitInvite();
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        return awaitBridged();
    }

    Call awaitBridged() {
        return GatewayCallTest.await(() -> gateway.calls().active().stream()
                .filter(c -> c.state() == CallState.BRIDGED).findFirst(), "a bridged call");
    }

    CallRecord awaitCdr() {
        return GatewayCallTest.await(() -> gateway.store().callRecords(CdrQuery.all()).stream().findFirst(), "a CDR");
    }

    long balance(String account) {
        return gateway.store().account(account).orElseThrow().balanceCents();
    }

    void changeFacility(UnaryOperator<Facility> change) {
        Facility f = gateway.store().facilities().stream().filter(x -> x.id().equals("test-jail")).findFirst()
                .orElseThrow();
        gateway.store().saveFacility(change.apply(f));
    }

    static Facility with(Facility f, int announcementSeconds, ThreeWayAction action) {
        return new Facility(f.id(), f.name(), f.namePrompt(), f.timeZone(), f.callingHours(), f.maxCallMinutes(),
                announcementSeconds, f.ani(), f.rateTier(), f.digitMap(), f.lockdown(), f.region(), f.state(),
                f.localPrefixes(), f.accessCode(), f.pinLength(), action, f.internationalAllowed());
    }

    /** The trunk's RTP toward the gateway's callee-leg port, with the telephone-event PT offered to it. */
    RtpSender calleeRtp() {
        String offer = trunk.invite().body();
        assertThat(offer).contains("a=rtpmap:101 telephone-event/8000");
        return new RtpSender(trunk, SipPeer.mediaPort(offer), 101);
    }

    /** The callee hung up on a call the gateway closed: both legs got BYE; the CDR. */
    CallRecord awaitClosedByGateway() throws Exception {
        phone.awaitBye();
        trunk.awaitAndAnswer("BYE", 200, "OK");
        return awaitCdr();
    }

    void assertRecorded(CallRecord cdr) {
        Path wav = data.resolve("recordings").resolve(cdr.callId() + ".wav");
        assertThat(cdr.recordingFile()).contains(wav.toString());
        assertThat(wav).exists();
    }

    static ThreeWayDetection detection(CallRecord cdr) {
        assertThat(cdr.threeWayDetections()).hasSize(1);
        return cdr.threeWayDetections().getFirst();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void accessCodeAsksForTheNumberAfterThePin() throws Exception {
        assertThat(phone.invite("0", phone.sdp()).status()).isEqualTo(200);
        phone.ack();
        phone.infoDigits(PIN);
        phone.infoDigits(CALLEE + "#");
        SipMessage invite = trunk.awaitInvite();

        assertThat(invite.requestUri()).isEqualTo("sip:+15735550123@127.0.0.1:" + trunk.port());
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitBridged();
        assertThat(phone.bye()).isEqualTo(200);
        trunk.awaitAndAnswer("BYE", 200, "OK");

        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.dialed()).isEqualTo(CALLEE);
        assertThat(cdr.normalized()).contains("+15735550123");
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance(GatewayCallTest.ACCOUNT)).isEqualTo(1995);
        assertThat(gateway.meters().scrape()).contains("icgw_dtmf_digits_total{method=\"sip_info\"} 18");
    }

    @Test
    void calleeInfoDigitAfterAcceptanceIsAThreeWayAttempt() throws Exception {
        bridge(CALLEE);

        assertThat(trunk.infoDigit("application/dtmf-relay", "Signal=5\r\nDuration=100\r\n")).isEqualTo(200);

        CallRecord cdr = awaitClosedByGateway();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(detection(cdr).signal()).isEqualTo("callee_dtmf");
        assertThat(detection(cdr).action()).isEqualTo(ThreeWayAction.DISCONNECT);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance(GatewayCallTest.ACCOUNT)).isEqualTo(1995);
        assertRecorded(cdr);
    }

    @Test
    void calleeRfc4733DigitAfterAcceptanceIsAThreeWayAttempt() throws Exception {
        bridge(CALLEE);
        RtpSender rtp = calleeRtp();
        short[] silence = new short[RtpSender.FRAME];
        for (int i = 0; i < 5; i++) {
            rtp.pcmu(silence);
        }

        rtp.event(5, 100);

        CallRecord cdr = awaitClosedByGateway();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(detection(cdr).signal()).isEqualTo("callee_dtmf");
        assertThat(detection(cdr).action()).isEqualTo(ThreeWayAction.DISCONNECT);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance(GatewayCallTest.ACCOUNT)).isEqualTo(1995);
        assertThat(gateway.meters().scrape()).contains("icgw_dtmf_digits_total{method=\"rfc4733\"} 1")
                .contains("icgw_three_way_detections_total{signal=\"callee_dtmf\"} 1");
        assertRecorded(cdr);
    }

    @Test
    void dialToneOnTheCalleesAudioIsAThreeWayAttempt() throws Exception {
        bridge(CALLEE);

        calleeRtp().pcmu(ToneGenerator.dialToneUs(), 75);

        CallRecord cdr = awaitClosedByGateway();
        assertThat(cdr.disposition()).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(detection(cdr).signal()).isEqualTo("dial_tone");
        assertThat(detection(cdr).action()).isEqualTo(ThreeWayAction.DISCONNECT);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertRecorded(cdr);
    }

    @Test
    void privilegedCallIsNotRecordedAndAThreeWaySignalIsOnlyLogged() throws Exception {
        bridge(ATTORNEY);

        assertThat(trunk.infoDigit("application/dtmf-relay", "Signal=16\r\nDuration=300\r\n")).isEqualTo(200);
        await(() -> Optional.of(gateway.meters().scrape())
                .filter(t -> t.contains("icgw_three_way_detections_total{signal=\"info_flash\"} 1")), "the flash counted");
        assertThat(gateway.calls().active()).extracting(Call::state).containsExactly(CallState.BRIDGED);
        assertThat(trunk.bye()).isEqualTo(200);
        phone.awaitBye();

        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.normalized()).contains("+15735550188");
        assertThat(cdr.accountId()).contains("acct-attorney");
        assertThat(detection(cdr).signal()).isEqualTo("info_flash");
        assertThat(detection(cdr).action()).isEqualTo(ThreeWayAction.LOG);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance("acct-attorney")).isEqualTo(995);
        assertThat(cdr.recordingFile()).isEmpty();
        assertThat(data.resolve("recordings").resolve(cdr.callId() + ".wav")).doesNotExist();
    }

    @Test
    void facilityWarnActionWarnsAndTheCallGoesOn() throws Exception {
        changeFacility(f -> with(f, f.announcementIntervalSeconds(), ThreeWayAction.WARN));
        bridge(CALLEE);

        assertThat(trunk.infoDigit("application/dtmf-relay", "Signal=16\r\nDuration=300\r\n")).isEqualTo(200);
        await(() -> Optional.of(gateway.meters().scrape())
                .filter(t -> t.contains("icgw_three_way_detections_total{signal=\"info_flash\"} 1")), "the flash counted");
        assertThat(gateway.calls().active()).extracting(Call::state).containsExactly(CallState.BRIDGED);
        assertThat(phone.bye()).isEqualTo(200);
        trunk.awaitAndAnswer("BYE", 200, "OK");

        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(detection(cdr).signal()).isEqualTo("info_flash");
        assertThat(detection(cdr).action()).isEqualTo(ThreeWayAction.WARN);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance(GatewayCallTest.ACCOUNT)).isEqualTo(1995);
        assertRecorded(cdr);
    }

    @Test
    void investigatorCutOffEndsBothLegsAndChargesTheIncrementUsed() throws Exception {
        Call call = bridge(CALLEE);

        assertThat(gateway.calls().cutOff(call.id(), "test")).isTrue();

        CallRecord cdr = awaitClosedByGateway();
        assertThat(cdr.callId()).isEqualTo(call.id());
        assertThat(cdr.disposition()).isEqualTo(Disposition.INVESTIGATOR_DISCONNECT);
        assertThat(cdr.billedSeconds()).isEqualTo(60);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(balance(GatewayCallTest.ACCOUNT)).isEqualTo(1995);
        assertThat(cdr.threeWayDetections()).isEmpty();
        assertRecorded(cdr);
    }

    static <T> T await(java.util.function.Supplier<Optional<T>> what, String description) {
        return GatewayCallTest.await(what, description);
    }
}
