package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, case 7: a call at a facility whose calls may last one minute ends {@code time_limit}
 * after exactly 60 s billed (six 1-cent increments). The callee (its RTP at an {@link RtpProbe})
 * hears the one-minute warning at once and the closing prompt at the limit; then both legs get
 * a BYE, each within a second of the limit plus the prompt's length. The longest scenario, so its
 * class starts first.
 */
@Order(1)
class TimeLimitScenarioTest extends ScenarioTestBase {

    @Test
    void timeLimitEndsTheCall() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(80_000));
        Duration limit = Duration.ofSeconds(90);
        RtpProbe callee = probe();

        SippAgent trunk = trunk("trunk", "uas-answer-press-info-probe.xml", trunkPort, limit, "-key", "menu_digit", "1",
                "-key", "probe_port", Integer.toString(callee.port()));
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", "scn-phone-2", "scn-phone-2-secret",
                FAMILY, "515151", limit);
        SippAgent.Result inmateRun = succeeded(inmate);
        SippAgent.Result trunkRun = succeeded(trunk);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.TIME_LIMIT);
        assertThat(cdr.facilityId()).contains("scn-short");
        assertThat(cdr.billedSeconds()).isEqualTo(60);
        assertThat(cdr.chargeCents()).isEqualTo(6);
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE - 6);
        Instant accepted = cdr.acceptedAt().orElseThrow();
        assertThat(Duration.between(accepted, heard(callee, "one_minute_warning"))).isBetween(Duration.ZERO, TOLERANCE);
        assertThat(Duration.between(accepted.plusSeconds(60), heard(callee, "time_limit")).abs())
                .isLessThanOrEqualTo(TOLERANCE);
        Instant expectedBye = accepted.plusSeconds(60).plus(length("time_limit"));
        assertByeAround(inmateRun, expectedBye);
        assertByeAround(trunkRun, expectedBye);
    }
}
