package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.icgw.media.announce.Prompt;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, cases 6, 7 and 11: calls the gateway ends by itself. Money for two increments runs
 * out; the facility's one-minute limit is reached; the callee's RTP stops.
 *
 * <p>The gateway bills up to the limit, then plays its closing prompt to both legs and sends
 * both a BYE (contract, step 10): each BYE is expected at the limit plus the prompt's length,
 * within a second, as SIPp's message traces time it against the CDR's acceptance time. In the
 * balance case the callee's audio goes to an {@link RtpProbe}, where the one-minute warning must
 * be heard at the acceptance and the closing prompt at the limit.
 */
@Order(1)
class LimitScenarioTest extends ScenarioTestBase {

    /** The number paid by acct-scn-two, which holds 2 cents: two 10 s increments. */
    private static final String TWO_INCREMENTS = "15735550142";
    private static final Duration TOLERANCE = Duration.ofSeconds(1);
    /** Normalised cross-correlation above which a prompt counts as heard (G.711 keeps it near 1). */
    private static final double MATCH = 0.9;

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
        Instant warning = callee.find(prompt("one_minute_warning").samples(), MATCH).orElseThrow(
                () -> new AssertionError("the callee never heard the one-minute warning"));
        assertThat(Duration.between(accepted, warning)).isBetween(Duration.ZERO, TOLERANCE);
        Instant closing = callee.find(prompt("balance_exhausted").samples(), MATCH).orElseThrow(
                () -> new AssertionError("the callee never heard the closing prompt"));
        assertThat(Duration.between(accepted.plusSeconds(20), closing).abs()).isLessThanOrEqualTo(TOLERANCE);
        Instant expectedBye = accepted.plusSeconds(20).plus(length("balance_exhausted"));
        assertByeAround(inmateRun, expectedBye);
        assertByeAround(trunkRun, expectedBye);
    }

    @Test
    void timeLimitEndsTheCall() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        inmateAudio(inmateStream().silence(80_000));
        calleeAudio(calleeStream().silence(80_000));
        Duration limit = Duration.ofSeconds(90);

        SippAgent trunk = trunk("trunk", "uas-answer-press-info.xml", trunkPort, limit, "-key", "menu_digit", "1");
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
        Instant expectedBye = cdr.acceptedAt().orElseThrow().plusSeconds(60).plus(length("time_limit"));
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

    private static void assertByeAround(SippAgent.Result run, Instant expected) {
        assertThat(run.received("BYE")).as(run.report()).hasSize(1);
        Instant at = run.received("BYE").getFirst().at();
        assertThat(Duration.between(expected, at).abs()).as("BYE to %s at %s, expected %s", run.name(), at, expected)
                .isLessThanOrEqualTo(TOLERANCE);
    }

    private static Duration length(String name) {
        return Duration.ofMillis(prompt(name).durationMillis());
    }

    private static Prompt prompt(String name) {
        try {
            return PromptLibrary.fromClasspath("prompts", LimitScenarioTest.class.getClassLoader()).get("en", name)
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
