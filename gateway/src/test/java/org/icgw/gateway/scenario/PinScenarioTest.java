package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, case 4: a wrong PIN three times ends the call ({@code denied} / {@code bad_pin});
 * five wrong PINs within 15 minutes lock the terminal ({@code pin_locked}), even for the right
 * PIN. No call reaches the trunk.
 */
class PinScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(40);
    private static final String WRONG_PIN = "111111";

    @Test
    void threeWrongPinsEndTheCall() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        TrunkSilence silence = silentTrunk(trunkPort);
        inmateAudio(inmateStream().silence(20_000));

        succeeded(inmate("inmate", "uac-call-bad-pin-thrice.xml", PHONE, PHONE_PASSWORD, FAMILY, WRONG_PIN, LIMIT));

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.DENIED);
        assertThat(cdr.denyReason()).contains(DenyReason.BAD_PIN);
        assertThat(cdr.inmateId()).isEmpty();
        assertThat(cdr.chargeCents()).isZero();
        assertThat(silence.received()).as("what reached the trunk").isEmpty();
    }

    @Test
    void fiveWrongPinsLockTheTerminal() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        TrunkSilence silence = silentTrunk(trunkPort);
        inmateAudio(inmateStream().silence(20_000));

        succeeded(inmate("first", "uac-call-bad-pin-thrice.xml", PHONE, PHONE_PASSWORD, FAMILY, WRONG_PIN, LIMIT));
        awaitCdrs(1);
        // Failures 4 and 5; the third try of this call finds the terminal locked.
        succeeded(inmate("second", "uac-call-bad-pin-thrice.xml", PHONE, PHONE_PASSWORD, FAMILY, WRONG_PIN, LIMIT));
        awaitCdrs(2);
        succeeded(inmate("right-pin", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, LIMIT));

        List<CallRecord> cdrs = awaitCdrs(3);
        assertThat(cdrs).extracting(CallRecord::disposition).containsOnly(Disposition.DENIED);
        assertThat(cdrs).extracting(c -> c.denyReason().orElseThrow())
                .containsExactly(DenyReason.BAD_PIN, DenyReason.PIN_LOCKED, DenyReason.PIN_LOCKED);
        assertThat(silence.received()).as("what reached the trunk").isEmpty();
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE);
    }
}
