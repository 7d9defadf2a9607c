package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
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
        gateway = SeededGateway.start(data, port, List.of(trunk.port()));
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

    @Test
    void investigatorCutOffBeforeAcceptanceIsStillAnInvestigatorDisconnect() throws Exception {
        assertThat(phone.invite(CALLEE, phone.sdp()).status()).isEqualTo(200);
        phone.ack();
        phone.infoDigits(PIN);
        trunk.awaitInvite();
        trunk.answer();
        Call call = GatewayCallTest.await(() -> gateway.calls().active().stream()
                .filter(c -> c.state() == CallState.CALLEE_MENU).findFirst(), "the callee menu");

        assertThat(gateway.calls().cutOff(call.id(), "test")).isTrue();

        CallRecord cdr = awaitClosedByGateway();
        assertThat(cdr.callId()).isEqualTo(call.id());
        assertThat(cdr.disposition()).isEqualTo(Disposition.INVESTIGATOR_DISCONNECT);
        assertThat(cdr.acceptedAt()).isEmpty();
        assertThat(cdr.billedSeconds()).isZero();
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance(GatewayCallTest.ACCOUNT)).isEqualTo(2000);
        assertThat(cdr.recordingFile()).isEmpty();
    }

    @Test
    void periodicAnnouncementIsMixedIntoBothLegsOnTheirStreams() throws Exception {
        changeFacility(f -> with(f, 3, f.threeWayAction()));
        Prompt announcement = PromptLibrary.fromClasspath("prompts", Gateway.class.getClassLoader())
                .get("en", "periodic_announcement").orElseThrow();
        int frames = Math.ceilDiv(announcement.length(), RtpSender.FRAME);
        assertThat(announcement.durationMillis()).isLessThan(3_000);
        bridge(CALLEE);
        // Neither side sends RTP, so what each leg gets after the bridge is the announcement alone,
        // which starts 3 s after acceptance; 1 s on, the callee menu's last packets are long past.
        long after = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);

        List<SipPeer.RtpIn> toInmate = awaitRtpAfter(phone, after, frames);
        List<SipPeer.RtpIn> toCallee = awaitRtpAfter(trunk, after, frames);
        assertThat(phone.bye()).isEqualTo(200);
        trunk.awaitAndAnswer("BYE", 200, "OK");

        byte[] expected = mixedAlone(announcement, gateway.config().calls().announcementGain(), frames);
        for (SipPeer peer : new SipPeer[] {phone, trunk}) {
            List<SipPeer.RtpIn> mixed = peer == phone ? toInmate : toCallee;
            assertThat(concat(mixed)).as("announcement payload").isEqualTo(expected);
            assertThat(mixed.getFirst().marker()).isTrue();
            for (int i = 1; i < mixed.size(); i++) {
                assertThat(mixed.get(i).timestamp() - mixed.get(i - 1).timestamp()).isEqualTo(RtpSender.FRAME);
            }
            assertOneStream(peer.rtpReceived());
        }
        CallRecord cdr = awaitCdr();
        assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.chargeCents()).isEqualTo(5);
        assertThat(gateway.meters().scrape()).contains("icgw_announcements_total 1");
    }

    /** Waits until {@code peer} got {@code count} RTP packets after {@code nanos}; exactly those. */
    static List<SipPeer.RtpIn> awaitRtpAfter(SipPeer peer, long nanos, int count) {
        List<SipPeer.RtpIn> got = await(() -> Optional.of(peer.rtpReceived().stream().filter(p -> p.nanos() > nanos)
                .toList()).filter(l -> l.size() >= count), count + " RTP packets");
        // The next announcement is 3 s away: nothing more comes meanwhile.
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(peer.rtpReceived().stream().filter(p -> p.nanos() > nanos)).hasSize(count);
        return got;
    }

    /** What a leg gets when the announcement is mixed into silence: each frame scaled, then PCMU. */
    static byte[] mixedAlone(Prompt announcement, float gain, int frames) {
        byte[] out = new byte[frames * RtpSender.FRAME];
        short[] frame = new short[RtpSender.FRAME];
        for (int f = 0; f < frames; f++) {
            Arrays.fill(frame, (short) 0);
            announcement.copyTo(f * RtpSender.FRAME, frame, 0, RtpSender.FRAME);
            Mixer.scale(frame, 0, frame.length, gain);
            for (int i = 0; i < frame.length; i++) {
                out[f * RtpSender.FRAME + i] = G711.linearToUlaw(frame[i]);
            }
        }
        return out;
    }

    static byte[] concat(List<SipPeer.RtpIn> packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        packets.forEach(p -> out.writeBytes(p.payload()));
        return out.toByteArray();
    }

    /** Every packet the gateway sent the leg, prompts and announcement alike: one SSRC, no sequence gap. */
    static void assertOneStream(List<SipPeer.RtpIn> packets) {
        assertThat(packets).extracting(SipPeer.RtpIn::ssrc).containsOnly(packets.getFirst().ssrc());
        assertThat(packets).extracting(SipPeer.RtpIn::payloadType).containsOnly(G711.PAYLOAD_PCMU);
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).seq()).as("seq after %d", packets.get(i - 1).seq())
                    .isEqualTo((packets.get(i - 1).seq() + 1) & 0xFFFF);
        }
    }

    static <T> T await(Supplier<Optional<T>> what, String description) {
        return GatewayCallTest.await(what, description);
    }
}
