package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, case 12: a terminal that is not registered, or has the wrong password, is
 * challenged and then refused with 403; no call is placed and no call record written.
 */
class RegistrationScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void unregisteredTerminalIsChallengedThenForbidden() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        TrunkSilence silence = silentTrunk(trunkPort);

        succeeded(unregisteredInmate("inmate", "uac-invite-forbidden.xml", PHONE, PHONE_PASSWORD, FAMILY, "", LIMIT));

        assertThat(silence.received()).as("what reached the trunk").isEmpty();
        assertThat(cdrs()).isEmpty();
    }

    @Test
    void wrongPasswordIsChallengedThenForbiddenOnRegisterAndInvite() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        TrunkSilence silence = silentTrunk(trunkPort);

        succeeded(uac("register", "uac-register-wrong-password.xml", LIMIT, "-s", PHONE, "-au", PHONE, "-ap",
                "not-the-password"));
        succeeded(unregisteredInmate("inmate", "uac-invite-forbidden.xml", PHONE, "not-the-password", FAMILY, "", LIMIT));

        assertThat(silence.received()).as("what reached the trunk").isEmpty();
        assertThat(cdrs()).isEmpty();
        assertThat(gateway.gateway().registrations().activeCount()).isZero();
    }
}
