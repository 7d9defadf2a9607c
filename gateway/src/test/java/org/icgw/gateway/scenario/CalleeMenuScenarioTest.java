package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.icgw.policy.model.Block;
import org.icgw.policy.model.BlockOrigin;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Test;

/** Issue #4, case 3: the callee refuses ({@code 2}) or blocks ({@code 9}) the call. */
class CalleeMenuScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(40);

    @Test
    void calleeRefusesNothingCharged() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(15_000));
        calleeAudio(calleeStream().silence(15_000));

        SippAgent trunk = trunk("trunk", "uas-answer-press-info.xml", trunkPort, LIMIT, "-key", "menu_digit", "2");
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT);

        succeeded(inmate);
        succeeded(trunk);
        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.REFUSED);
        assertThat(cdr.calleeAnsweredAt()).isPresent();
        assertThat(cdr.acceptedAt()).isEmpty();
        assertThat(cdr.billedSeconds()).isZero();
        assertThat(cdr.chargeCents()).isZero();
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE);
    }

    @Test
    void calleeBlocksAndTheNextCallToTheNumberIsDeniedBeforeTheTrunk() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(15_000));
        calleeAudio(calleeStream().silence(15_000));

        SippAgent trunk = trunk("trunk", "uas-answer-press-info.xml", trunkPort, LIMIT, "-key", "menu_digit", "9");
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT);
        succeeded(inmate);
        succeeded(trunk);
        CallRecord blocked = onlyCdr();
        assertThat(blocked.disposition()).as("%s", blocked).isEqualTo(Disposition.BLOCKED_BY_CALLEE);
        assertThat(blocked.chargeCents()).isZero();
        assertThat(gateway.store().blocks(false)).extracting(Block::number, Block::origin)
                .contains(org.assertj.core.groups.Tuple.tuple(FAMILY_E164, BlockOrigin.CALLEE));

        TrunkSilence silence = silentTrunk(trunkPort);
        SippAgent again = inmate("inmate-again", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN,
                LIMIT);
        succeeded(again);
        CallRecord denied = awaitCdrs(2).get(1);
        assertThat(denied.disposition()).as("%s", denied).isEqualTo(Disposition.DENIED);
        assertThat(denied.denyReason()).contains(DenyReason.NUMBER_BLOCKED);
        assertThat(denied.chargeCents()).isZero();
        assertThat(silence.received()).as("what reached the trunk").isEmpty();
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE);
    }
}
