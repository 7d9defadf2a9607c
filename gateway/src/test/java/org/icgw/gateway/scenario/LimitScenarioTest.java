package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, cases 6 and 11: calls the gateway ends by itself. Money for two increments runs
 * out; the callee's RTP stops (case 7, the time limit, is {@link TimeLimitScenarioTest}).
 *
 * <p>The gateway bills up to the limit, then plays its closing prompt to both legs and sends
 * both a BYE (contract, step 10): each BYE is expected at the limit plus the prompt's length,
 * within a second, as SIPp's message traces time it against the CDR's acceptance time. In the
 * balance case the callee's audio goes to an {@link RtpProbe}, where the one-minute warning must
 * be heard at the acceptance and the closing prompt at the limit.
 */
class LimitScenarioTest extends ScenarioTestBase {

    /** The number paid by acct-scn-two, which holds 2 cents: two 10 s increments. */
    private static final String TWO_INCREMENTS = "15735550142";

    @Test
    void balanceForTwoIncrementsWarnsThenCutsTheCallOffAfterTwoIncrements() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(45_000));
        Duration limit = Duration.ofSeconds(50);
        RtpProbe callee = probe();

        SippAgent trunk = trunk("trunk", "uas-answer-press-info-probe.xml", trunkPort, limit, "-key", "menu_digit", "1",
                "-key", "probe_port", Integer.toString(callee.port()));
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, TWO_INCREMENTS,
                PIN, limit);
        SippAgent.Result inmateRun = succeeded(inmate);
        SippAgent.Result trunkRun = succeeded(trunk);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.BALANCE_EXHAUSTED);
        assertThat(cdr.billedSeconds()).isEqualTo(20);
        assertThat(cdr.chargeCents()).isEqualTo(2);
        assertThat(balance("acct-scn-two")).isZero();
        Instant accepted = cdr.acceptedAt().orElseThrow();
        // Less than a minute is paid for, so the one-minute warning plays at once (contract step 10).
        assertThat(Duration.between(accepted, heard(callee, "one_minute_warning"))).isBetween(Duration.ZERO, TOLERANCE);
        assertThat(Duration.between(accepted.plusSeconds(20), heard(callee, "balance_exhausted")).abs())
                .isLessThanOrEqualTo(TOLERANCE);
        Instant expectedBye = accepted.plusSeconds(20).plus(length("balance_exhausted"));
        assertByeAround(inmateRun, expectedBye);
        assertByeAround(trunkRun, expectedBye);
    }

    @Test
    void calleeStopsSendingRtpMediaTimeoutLastPartialIncrementNotBilled() {
        int trunkPort = freePort();
        startGateway(s -> s.withMediaTimeout(Duration.ofSeconds(3)), trunkPort);
        inmateAudio(inmateStream().silence(45_000));
        // The callee accepts 0.5 s after its answer and falls silent 13.5 s after it: the timeout
        // fires about 16 s after the acceptance, 6 s into the second increment.
        calleeAudio(calleeStream().silence(13_500));
        Duration limit = Duration.ofSeconds(40);

        SippAgent trunk = trunk("trunk", "uas-answer-press-info.xml", trunkPort, limit, "-key", "menu_digit", "1");
        SippAgent inmate = inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, FAMILY, PIN, limit);
        succeeded(inmate);
        succeeded(trunk);

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.MEDIA_TIMEOUT);
        assertThat(Duration.between(cdr.acceptedAt().orElseThrow(), cdr.endedAt())).isGreaterThan(Duration.ofSeconds(10));
        assertThat(cdr.billedSeconds()).isEqualTo(10);
        assertThat(cdr.chargeCents()).isEqualTo(1);
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE - 1);
    }
}
