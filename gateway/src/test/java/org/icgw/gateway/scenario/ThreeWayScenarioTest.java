package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, case 8: a three-way-call attempt by the callee after accepting: a hold re-INVITE,
 * an RFC 4733 flash (event 16), a flash by SIP INFO. The facility's action is
 * {@code disconnect}: the call ends {@code three_way_detected} with the signal on its CDR, and
 * the one increment begun is charged.
 */
class ThreeWayScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(40);

    @Test
    void holdReinvite() {
        assertThreeWay("uas-accept-then-hold.xml", calleeStream().silence(20_000), "hold_reinvite");
    }

    @Test
    void rfc4733Flash() {
        assertThreeWay("uas-answer-press-rfc4733.xml", calleeStream().silence(600).rfc4733("1", TELEPHONE_EVENT_PT)
                .silence(1_500).rfc4733("!", TELEPHONE_EVENT_PT).silence(20_000), "rfc4733_flash");
    }

    @Test
    void sipInfoFlash() {
        assertThreeWay("uas-accept-then-flash-info.xml", calleeStream().silence(20_000), "info_flash");
    }

    private void assertThreeWay(String calleeScenario, RtpCapture calleeStream, String signal) {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(25_000));
        calleeAudio(calleeStream);

        SippAgent trunk = trunk("trunk", calleeScenario, trunkPort, LIMIT, "-key", "menu_digit", "1");
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT);
        succeeded(inmate);
        succeeded(trunk);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.THREE_WAY_DETECTED);
        assertThat(cdr.threeWayDetections()).extracting(ThreeWayDetection::signal).containsExactly(signal);
        assertThat(cdr.threeWayDetections()).extracting(ThreeWayDetection::action)
                .containsExactly(ThreeWayAction.DISCONNECT);
        assertThat(cdr.acceptedAt()).isPresent();
        assertThat(cdr.chargeCents()).isEqualTo(1);
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE - 1);
    }
}
