package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.icgw.gateway.admin.AdminHarness.INVESTIGATOR;
import static org.icgw.gateway.admin.AdminHarness.STAFF;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.icgw.gateway.call.Call;
import org.icgw.gateway.call.CallEvent;
import org.icgw.gateway.call.CallManager;
import org.icgw.gateway.call.CallMetrics;
import org.icgw.gateway.call.CallServices;
import org.icgw.gateway.call.CallSettings;
import org.icgw.gateway.call.CallState;
import org.icgw.gateway.call.InmateLeg;
import org.icgw.gateway.call.MediaDescription;
import org.icgw.gateway.call.TrunkLeg;
import org.icgw.media.Leg;
import org.icgw.media.MediaEngine;
import org.icgw.media.MediaEngineConfig;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.policy.decision.PolicyEngine;
import org.icgw.policy.model.AuditEntry;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.number.NumberClassifier;
import org.icgw.policy.pin.PinVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls in progress through a real {@link CallManager}: a call runs its own script on the demo
 * store with a real media engine on loopback; the SIP legs are stand-ins that answer at once and
 * the keypad digits are posted as the SIP layer would. The admin API lists the bridged call with
 * its live talk time and charge, and an investigator's DELETE ends it as investigator_disconnect.
 */
class ActiveCallsApiTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path tmp;
    private MediaEngine media;
    private AdminHarness h;

    @BeforeEach
    void start() throws IOException {
        media = new MediaEngine(new MediaEngineConfig(1, 47000, 47999, false));
        Path prompts = Files.createDirectories(tmp.resolve("no-prompts"));
        Path recordings = Files.createDirectories(tmp.resolve("recordings"));
        h = new AdminHarness(tmp.resolve("db"), (store, clock) -> {
            try {
                return new CallManager(new CallServices(
                        new PolicyEngine(store, NumberClassifier.standard(), new PinVerifier(AdminHarness.PINS)), store,
                        media, PromptLibrary.fromDirectory(prompts),
                        CallSettings.defaults(LOOPBACK, recordings).withMediaTimeout(Duration.ofMinutes(5)),
                        CallMetrics.NONE, clock));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void stop() {
        h.calls.shutdown(Duration.ZERO);
        h.close();
        media.close();
    }

    /** The terminal's side: answered by the gateway; nothing to send. */
    private record StandInInmate(String terminalUsername, String dialed) implements InmateLeg {
        @Override
        public MediaDescription remote() {
            return new MediaDescription(new InetSocketAddress(LOOPBACK, 9), 0, 101, MediaDescription.Direction.SENDRECV);
        }

        @Override
        public void answer(MediaDescription local) {
        }

        @Override
        public void end(int statusIfUnanswered) {
        }
    }

    /** The trunk: the callee answers at once. */
    private static final class AnsweringTrunk implements TrunkLeg {
        @Override
        public void dial(String e164, String ani, MediaDescription local, Consumer<CallEvent> events) {
            events.accept(new CallEvent.TrunkAnswered(new MediaDescription(new InetSocketAddress(LOOPBACK, 11), 0, 101,
                    MediaDescription.Direction.SENDRECV)));
        }

        @Override
        public void end() {
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(giveUp);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    @Test
    void aBridgedCallIsListedLiveAndAnInvestigatorCutsItOff() {
        Call call = h.calls.start(new StandInInmate("pod-a-1", "5735550123"), new AnsweringTrunk());
        for (char d : "424242".toCharArray()) {
            call.post(new CallEvent.Digit(Leg.A, d, CallEvent.DigitMethod.RFC4733));
        }
        await("the callee menu", () -> call.state() == CallState.CALLEE_MENU || call.state() == CallState.ENDED);
        assertThat(call.state()).isEqualTo(CallState.CALLEE_MENU);
        call.post(new CallEvent.Digit(Leg.B, '1', CallEvent.DigitMethod.RFC4733));
        await("the bridge", () -> call.state() == CallState.BRIDGED);

        h.clock.advance(Duration.ofSeconds(61));
        JsonNode items = h.get("/api/v1/calls", STAFF).json().get("items");
        assertThat(items).hasSize(1);
        JsonNode c = items.get(0);
        assertThat(c.get("call_id").asText()).isEqualTo(call.id());
        assertThat(c.get("state").asText()).isEqualTo("bridged");
        assertThat(c.get("inmate_id").asText()).isEqualTo("inm-1001");
        assertThat(c.get("facility_id").asText()).isEqualTo("osage-county-jail");
        assertThat(c.get("dialed").asText()).isEqualTo("5735550123");
        assertThat(c.get("number").asText()).isEqualTo("+15735550123");
        assertThat(c.get("started_at").asText()).isEqualTo(TestClock.START.toString());
        assertThat(c.get("accepted_at").asText()).isEqualTo(TestClock.START.toString());
        assertThat(c.get("duration_seconds").asLong()).isEqualTo(61);
        assertThat(c.get("charge_cents").asLong()).as("two begun minutes at 5 cents (local)").isEqualTo(10);

        assertThat(h.send("DELETE", "/api/v1/calls/" + call.id(), STAFF, null).status()).isEqualTo(403);
        AdminHarness.Response cut = h.send("DELETE", "/api/v1/calls/" + call.id(), INVESTIGATOR, null);
        assertThat(cut.status()).isEqualTo(202);
        await("the CDR", () -> h.store.callRecord(call.id()).isPresent());
        CallRecord cdr = h.store.callRecord(call.id()).orElseThrow();
        assertThat(cdr.disposition()).isEqualTo(Disposition.INVESTIGATOR_DISCONNECT);
        assertThat(cdr.billedSeconds()).isEqualTo(120);
        assertThat(cdr.chargeCents()).isEqualTo(10);
        assertThat(cdr.endedAt()).isEqualTo(TestClock.START.plusSeconds(61));
        assertThat(h.store.account("acct-reyes-family").orElseThrow().balanceCents()).isEqualTo(2000 - 10);
        await("the call to leave the list", () -> h.calls.active().isEmpty());
        assertThat(h.get("/api/v1/calls", STAFF).json().get("items")).isEmpty();
        assertThat(h.send("DELETE", "/api/v1/calls/" + call.id(), INVESTIGATOR, null).status()).isEqualTo(404);

        AuditEntry audit = h.store.auditLog(0, 1).getFirst();
        assertThat(audit.actor()).matches("investigator:[0-9a-f]{8}");
        assertThat(audit.method()).isEqualTo("DELETE");
        assertThat(audit.path()).isEqualTo("/api/v1/calls/" + call.id());
        assertThat(audit.entityId()).isEqualTo(Optional.of(call.id()));
        assertThat(audit.at()).isEqualTo(Instant.parse("2026-03-04T18:01:01Z"));
    }
}
