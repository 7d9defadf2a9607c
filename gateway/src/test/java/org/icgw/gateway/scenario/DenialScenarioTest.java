package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.CallingHours;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.Facility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Issue #4, case 5: calls the policy denies. Each plays its reason prompt and ends with the
 * gateway's BYE; the CDR is {@code denied} with the reason; nothing is charged and nothing
 * reaches the trunk.
 */
class DenialScenarioTest extends ScenarioTestBase {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "18005550100,     TOLL_FREE",
            "19005550100,     PREMIUM",
            "011442079460958, INTERNATIONAL_NOT_ALLOWED",
            "15735550177,     NO_ACCOUNT"})
    void deniedByNumberOrAccount(String dialed, DenyReason reason) {
        assertDenied(dialed, reason);
    }

    @Test
    void outsideCallingHours() {
        int trunkPort = freePort();
        startGateway(trunkPort);
        // The facility (UTC) opens for one minute twelve hours from now.
        Facility f = gateway.store().facilities().stream().filter(x -> x.id().equals("scn-jail")).findFirst().orElseThrow();
        LocalTime opens = LocalTime.now(ZoneOffset.UTC).plusHours(12).withSecond(0).withNano(0);
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        CallingHours hours = CallingHours.parse(opens.format(hhmm) + "-" + opens.plusMinutes(1).format(hhmm));
        gateway.store().saveFacility(new Facility(f.id(), f.name(), f.namePrompt(), f.timeZone(), hours,
                f.maxCallMinutes(), f.announcementIntervalSeconds(), f.ani(), f.rateTier(), f.digitMap(), f.lockdown(),
                f.region(), f.state(), f.localPrefixes(), f.accessCode(), f.pinLength(), f.threeWayAction(),
                f.internationalAllowed()));
        assertDeniedOn(trunkPort, FAMILY, DenyReason.OUTSIDE_CALLING_HOURS);
    }

    private void assertDenied(String dialed, DenyReason reason) {
        int trunkPort = freePort();
        startGateway(trunkPort);
        assertDeniedOn(trunkPort, dialed, reason);
    }

    private void assertDeniedOn(int trunkPort, String dialed, DenyReason reason) {
        TrunkSilence silence = silentTrunk(trunkPort);
        inmateAudio(inmateStream().silence(15_000));

        succeeded(inmate("inmate", "uac-call-info-pin-await-bye.xml", PHONE, PHONE_PASSWORD, dialed, PIN, LIMIT));

        CallRecord cdr = onlyCdr();
        assertThat(cdr.disposition()).as("%s", cdr).isEqualTo(Disposition.DENIED);
        assertThat(cdr.denyReason()).contains(reason);
        assertThat(cdr.inmateId()).contains("inm-scn-1");
        assertThat(cdr.chargeCents()).isZero();
        assertThat(cdr.billedSeconds()).isZero();
        assertThat(silence.received()).as("what reached the trunk").isEmpty();
        assertThat(balance(FAMILY_ACCOUNT)).isEqualTo(FAMILY_BALANCE);
    }
}
