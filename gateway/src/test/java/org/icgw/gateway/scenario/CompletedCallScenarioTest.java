package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, cases 1 and 2: an inmate's call end to end, the PIN keyed by SIP INFO, by RFC 4733
 * events and by in-band tones; the callee accepts; the inmate hangs up; one increment is
 * charged.
 */
class CompletedCallScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(40);

    @Test
    void pinBySipInfoCalleeAcceptsByInfoInmateHangsUp() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(15_000));
        calleeAudio(calleeStream().silence(15_000));

        SippAgent trunk = trunk("trunk", "uas-answer-press-info.xml", trunkPort, LIMIT, "-key", "menu_digit", "1");
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-hangup.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT,
                "-set", "hold_ms", "6500");

        succeeded(inmate);
        SippAgent.Result callee = succeeded(trunk);
        assertCompletedOneIncrement(onlyCdr());
        SippAgent.Message invite = callee.received("INVITE").getFirst();
        assertThat(invite.firstLine()).isEqualTo("INVITE sip:" + FAMILY_E164 + "@127.0.0.1:" + trunkPort + " SIP/2.0");
        assertThat(invite.text()).containsPattern("(?m)^From: .*<sip:\\" + ANI + "@");
    }

    @Test
    void pinByRfc4733EventsCalleeAcceptsByRfc4733() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(300).rfc4733(PIN, TELEPHONE_EVENT_PT).silence(15_000));
        calleeAudio(calleeStream().silence(600).rfc4733("1", TELEPHONE_EVENT_PT).silence(15_000));

        SippAgent trunk = trunk("trunk", "uas-answer-press-rfc4733.xml", trunkPort, LIMIT);
        SippAgent inmate = inmate("inmate", "uac-call-media-pin-hangup.xml", PHONE, PHONE_PASSWORD, FAMILY, "", LIMIT,
                "-set", "hold_ms", "8000");

        succeeded(inmate);
        succeeded(trunk);
        assertCompletedOneIncrement(onlyCdr());
    }

    @Test
    void pinByInbandTonesCalleeAcceptsByInfo() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(300).inband(PIN).silence(15_000));
        calleeAudio(calleeStream().silence(15_000));

        SippAgent trunk = trunk("trunk", "uas-answer-press-info.xml", trunkPort, LIMIT, "-key", "menu_digit", "1");
        SippAgent inmate = inmate("inmate", "uac-call-media-pin-hangup.xml", PHONE, PHONE_PASSWORD, FAMILY, "", LIMIT,
                "-set", "hold_ms", "8000");

        succeeded(inmate);
        succeeded(trunk);
        assertCompletedOneIncrement(onlyCdr());
    }

    private void assertCompletedOneIncrement(CallRecord cdr) {
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.inmateId()).contains("inm-scn-1");
        assertThat(cdr.normalized()).contains(FAMILY_E164);
        assertThat(cdr.acceptedAt()).isPresent();
        assertThat(cdr.billedSeconds()).isEqualTo(10);
        assertThat(cdr.chargeCents()).isEqualTo(1);
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE - 1);
    }
}
