package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, cases 9 and 10: what the trunk does before an answer. Busy (486), no answer within
 * the no-answer time (4 s here), failover from a trunk answering 503 to the next, and the inmate
 * hanging up while the callee's phone rings (the gateway CANCELs the trunk's INVITE).
 */
class TrunkScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(40);

    @Test
    void busy() {
        CallRecord cdr = unanswered("uas-busy.xml");
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.BUSY);
    }

    @Test
    void noAnswer() {
        CallRecord cdr = unanswered("uas-ring-until-cancel.xml");
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.NO_ANSWER);
    }

    @Test
    void firstTrunkUnavailableSecondAnswers() {
        int first = freePort();
        int second = freePort();
        startGateway(first, second);
        inmateAudio(inmateStream().silence(20_000));
        calleeAudio(calleeStream().silence(20_000));

        SippAgent unavailable = trunk("trunk-1", "uas-unavailable.xml", first, LIMIT);
        SippAgent answering = trunk("trunk-2", "uas-answer-press-info.xml", second, LIMIT, "-key", "menu_digit", "1");
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-hangup.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT,
                "-set", "hold_ms", "6500");
        succeeded(inmate);
        succeeded(unavailable);
        succeeded(answering);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.COMPLETED);
        assertThat(cdr.chargeCents()).isEqualTo(1);
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE - 1);
    }

    @Test
    void inmateHangsUpWhileTheCalleeRings() {
        int trunkPort = freePort();
        startGateway(s -> s.withNoAnswer(Duration.ofSeconds(30)), trunkPort);
        inmateAudio(inmateStream().silence(20_000));

        SippAgent ringing = trunk("trunk", "uas-ring-until-cancel.xml", trunkPort, LIMIT);
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-hangup.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT,
                "-set", "hold_ms", "2500");
        succeeded(inmate);
        SippAgent.Result trunk = succeeded(ringing);
        assertThat(trunk.received("CANCEL")).hasSize(1);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.CALLER_ABANDONED);
        assertThat(cdr.calleeAnsweredAt()).isEmpty();
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE);
    }

    private CallRecord unanswered(String trunkScenario) {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(20_000));

        SippAgent trunk = trunk("trunk", trunkScenario, trunkPort, LIMIT);
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT);
        succeeded(inmate);
        succeeded(trunk);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.calleeAnsweredAt()).isEmpty();
        assertThat(cdr.acceptedAt()).isEmpty();
        assertThat(cdr.billedSeconds()).isZero();
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE);
        return cdr;
    }
}
