package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.icgw.gateway.admin.AdminHarness.INVESTIGATOR;
import static org.icgw.gateway.admin.AdminHarness.STAFF;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.icgw.policy.model.CallClass;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.DenyReason;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.model.ThreeWayAction;
import org.icgw.policy.model.ThreeWayDetection;
import org.icgw.policy.store.Repairs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CDR queries (filters, paging), the CSV export and recording downloads over real HTTP. */
class CallRecordApiTest {
    private static final Instant T = Instant.parse("2026-03-01T15:00:00Z");

    @TempDir
    Path tmp;
    private AdminHarness h;
    private Path wav;
    private byte[] wavBytes;

    @BeforeEach
    void start() throws Exception {
        h = new AdminHarness(tmp.resolve("db"));
        wav = tmp.resolve("c-2.wav");
        byte[] pcm = new byte[8000 * 2 * 2 / 10];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (byte) (i * 7);
        }
        AudioFormat f = new AudioFormat(8000f, 16, 2, true, false);
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, pcm.length / 4),
                AudioFileFormat.Type.WAVE, wav.toFile());
        wavBytes = Files.readAllBytes(wav);
        h.store.saveCallRecord(cdr("c-1", "inm-1001", "5735550123", T, Optional.empty()));
        h.store.saveCallRecord(new CallRecord("c-2", Optional.of("osage-county-jail"), Optional.of("pod-a-phone-1"),
                Optional.of("inm-1002"), Optional.of("acct-hale-debit"), "15735550188", Optional.of("+15735550188"),
                Optional.of(CallClass.LOCAL), T.plusSeconds(3600), Optional.of(T.plusSeconds(3610)),
                Optional.of(T.plusSeconds(3620)), T.plusSeconds(3800), 180, 15, Disposition.THREE_WAY_DETECTED,
                Optional.empty(), List.of(new ThreeWayDetection("dial_tone", T.plusSeconds(3700), ThreeWayAction.LOG),
                        new ThreeWayDetection("refer", T.plusSeconds(3790), ThreeWayAction.DISCONNECT)),
                Optional.of(wav.toString())));
        h.store.saveCallRecord(new CallRecord("c-3", Optional.of("osage-county-jail"), Optional.of("pod-a-phone-2"),
                Optional.of("inm-1003"), Optional.empty(), "5735550199", Optional.empty(), Optional.empty(),
                T.plusSeconds(7200), Optional.empty(), Optional.empty(), T.plusSeconds(7210), 0, 0, Disposition.DENIED,
                Optional.of(DenyReason.INMATE_RESTRICTED), List.of(), Optional.empty()));
        h.store.saveCallRecord(cdr("c-4", "inm-1001", "+15735550123", T.plusSeconds(10_800),
                Optional.of(tmp.resolve("gone.wav").toString())));
    }

    private static CallRecord cdr(String id, String inmate, String dialed, Instant start, Optional<String> rec) {
        return new CallRecord(id, Optional.of("osage-county-jail"), Optional.of("pod-a-phone-1"), Optional.of(inmate),
                Optional.of("acct-reyes-family"), dialed, Optional.of("+15735550123"), Optional.of(CallClass.LOCAL),
                start, Optional.of(start.plusSeconds(8)), Optional.of(start.plusSeconds(20)), start.plusSeconds(140),
                120, 10, Disposition.COMPLETED, Optional.empty(), List.of(), rec);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    private List<String> ids(String query) {
        AdminHarness.Response r = h.get("/api/v1/cdrs" + query, STAFF);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("items").findValuesAsText("call_id");
    }

    @Test
    void filtersByInmateNumberAndTimeNewestFirst() {
        assertThat(ids("")).containsExactly("c-4", "c-3", "c-2", "c-1");
        assertThat(ids("?inmate_id=inm-1001")).containsExactly("c-4", "c-1");
        assertThat(ids("?number=%2B15735550123")).containsExactly("c-4", "c-1");
        assertThat(ids("?number=5735550199")).containsExactly("c-3");
        assertThat(ids("?from=2026-03-01T16:00:00Z&to=2026-03-01T18:00:00Z")).containsExactly("c-3", "c-2");
        assertThat(ids("?inmate_id=inm-1001&from=2026-03-01T15:00:01Z")).containsExactly("c-4");

        JsonNode one = h.get("/api/v1/cdrs/c-2", STAFF).json();
        assertThat(one.get("disposition").asText()).isEqualTo("three_way_detected");
        assertThat(one.get("charge_cents").asLong()).isEqualTo(15);
        assertThat(one.get("three_way_detections").findValuesAsText("signal")).containsExactly("dial_tone", "refer");
        assertThat(h.get("/api/v1/cdrs/c-3", STAFF).json().get("deny_reason").asText()).isEqualTo("inmate_restricted");
        assertThat(h.get("/api/v1/cdrs/c-9", STAFF).status()).isEqualTo(404);
    }

    @Test
    void aRepairedCdrSaysSo() {
        h.store.saveCallRecord(Repairs.callRecord(cdr("c-5", "inm-1001", "5".repeat(200), T.plusSeconds(20_000),
                Optional.empty())).orElseThrow());

        JsonNode repaired = h.get("/api/v1/cdrs/c-5", STAFF).json();
        assertThat(repaired.get("repaired").asBoolean()).isTrue();
        assertThat(repaired.get("dialed").asText()).isEqualTo("5".repeat(64));
        assertThat(h.get("/api/v1/cdrs/c-1", STAFF).json().get("repaired").asBoolean()).isFalse();
    }

    @Test
    void pagesCarryTheNextOffsetUntilTheLast() {
        JsonNode first = h.get("/api/v1/cdrs?limit=3", STAFF).json();
        assertThat(first.get("items").findValuesAsText("call_id")).containsExactly("c-4", "c-3", "c-2");
        assertThat(first.get("next_offset").asInt()).isEqualTo(3);
        JsonNode last = h.get("/api/v1/cdrs?limit=3&offset=3", STAFF).json();
        assertThat(last.get("items").findValuesAsText("call_id")).containsExactly("c-1");
        assertThat(last.get("next_offset").isNull()).isTrue();
    }

    @Test
    void badFiltersAre400NamingTheParameter() {
        for (String[] c : new String[][] {{"?from=yesterday", "from"}, {"?to=2026-13-01T00:00:00Z", "to"},
                {"?limit=0", "limit"}, {"?limit=1001", "limit"}, {"?offset=-1", "offset"},
                {"?inmate_id=a&inmate_id=b", "inmate_id"}}) {
            AdminHarness.Response r = h.get("/api/v1/cdrs" + c[0], STAFF);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.json().get("field").asText()).isEqualTo(c[1]);
            assertThat(h.get("/api/v1/cdrs/export.csv" + c[0], STAFF).json().get("field").asText()).isEqualTo(c[1]);
        }
    }

    @Test
    void csvExportHasAHeaderAndOneRowPerRecord() {
        AdminHarness.Response r = h.get("/api/v1/cdrs/export.csv?inmate_id=inm-1002", STAFF);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("text/csv; charset=utf-8");
        assertThat(r.text()).isEqualTo("call_id,facility_id,terminal_id,inmate_id,account_id,dialed,normalized,"
                + "call_class,started_at,callee_answered_at,accepted_at,ended_at,billed_seconds,charge_cents,disposition,"
                + "deny_reason,three_way_signals,recording_file\r\n"
                + "c-2,osage-county-jail,pod-a-phone-1,inm-1002,acct-hale-debit,15735550188,+15735550188,local,"
                + "2026-03-01T16:00:00Z,2026-03-01T16:00:10Z,2026-03-01T16:00:20Z,2026-03-01T16:03:20Z,180,15,"
                + "three_way_detected,,dial_tone;refer," + wav + "\r\n");
        String all = h.get("/api/v1/cdrs/export.csv", STAFF).text();
        assertThat(all.split("\r\n")).hasSize(5);
        assertThat(all).contains("\r\nc-3,osage-county-jail,pod-a-phone-2,inm-1003,,5735550199,,,2026-03-01T17:00:00Z,,,"
                + "2026-03-01T17:00:10Z,0,0,denied,inmate_restricted,,\r\n");
        assertThat(CallRecordResource.csv("a,\"b\"")).isEqualTo("\"a,\"\"b\"\"\"");
    }

    @Test
    void investigatorsDownloadTheRecordingTheCdrNames() throws Exception {
        AdminHarness.Response r = h.get("/api/v1/recordings/c-2", INVESTIGATOR);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("audio/wav");
        assertThat(r.header("Content-Disposition")).isEqualTo("attachment; filename=\"c-2.wav\"");
        assertThat(r.raw().body()).isEqualTo(wavBytes);
        AudioFormat f = AudioSystem.getAudioInputStream(new ByteArrayInputStream(r.raw().body())).getFormat();
        assertThat(f.getSampleRate()).isEqualTo(8000f);
        assertThat(f.getChannels()).isEqualTo(2);

        assertThat(h.get("/api/v1/recordings/c-2", STAFF).status()).isEqualTo(403);
        assertThat(h.get("/api/v1/recordings/c-1", INVESTIGATOR).status()).isEqualTo(404);
        AdminHarness.Response gone = h.get("/api/v1/recordings/c-4", INVESTIGATOR);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().get("detail").asText()).isEqualTo("no recording file of call 'c-4'");
        assertThat(h.get("/api/v1/recordings/c-9", INVESTIGATOR).status()).isEqualTo(404);
    }
}
