package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import org.icgw.gateway.GatewayProcess;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.model.Disposition;
import org.icgw.policy.rate.RateCaps;
import org.icgw.policy.store.CdrQuery;
import org.icgw.policy.store.JdbcPolicyStore;
import org.icgw.policy.store.PolicyStores;
import org.icgw.policy.store.StoreConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on the real process, started from a configuration file as an operator starts it: with
 * a call bridged, new INVITEs get 503 while the call runs on through the drain time; then the call
 * ends with BYE on both legs, the process exits 0, and the store holds the CDR, the settled money
 * and a well-formed recording. The log holds no PIN, pepper or token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulShutdownProcessTest {

    static final String PIN = "424242";
    static final String PEPPER = "process-test-pepper-0123456789";
    static final String STAFF_TOKEN = "staff-token-of-the-process-test";
    static final String CALLEE = "5735550123";
    static final Duration DRAIN = Duration.ofSeconds(4);
    static final Duration START = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    GatewayProcess gateway;
    FakeTerminal phone;
    FakeTerminal phone2;
    FakeTrunk trunk;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {phone, phone2, trunk, gateway}) {
            if (c != null) {
                c.close();
            }
        }
        http.close();
    }

    @Test
    void sigtermDrainsTheCallRefusesNewOnesSettlesAndExitsZero() throws Exception {
        int sipPort = FreePorts.udpAndTcp();
        int httpPort = FreePorts.udpAndTcp();
        int rtpBase = 34_000 + 2 * ThreadLocalRandom.current().nextInt(0, 4_000);
        trunk = new FakeTrunk(sipPort);
        Path seed = dir.resolve("seed.yaml");
        try (InputStream in = GracefulShutdownProcessTest.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        Path token = Files.writeString(dir.resolve("staff.token"), STAFF_TOKEN + "\n");
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("icgw.yaml"), """
                data_dir: %s
                sip: {port: %d, rate_per_second: 1000, rate_burst: 1000}
                media: {rtp_port_min: %d, rtp_port_max: %d, io_threads: 1, native_transport: false}
                calls: {digit_timeout: 2s, no_answer: 8s, media_timeout: 30s}
                trunks:
                  response_timeout: 2s
                  list: [{host: 127.0.0.1, port: %d, transport: udp}]
                pins: {pepper: "${env:TEST_PEPPER}", cost: {memory_kib: 64, passes: 1, lanes: 1}}
                seed: %s
                drain: %s
                admin:
                  port: %d
                  tokens: [{scope: staff, token: "${file:%s}"}]
                logging: {level: DEBUG}
                """.formatted(data, sipPort, rtpBase, rtpBase + 199, trunk.port(), seed, "4s", httpPort, token));

        gateway = GatewayProcess.start(dir, Map.of("TEST_PEPPER", PEPPER), List.of(), "--config", config.toString());
        gateway.awaitLine(l -> l.contains("gateway running"), START, "start-up");
        assertThat(get(httpPort, "/readyz").statusCode()).isEqualTo(200);

        phone = new FakeTerminal(sipPort, "pod-1", "pod-1-secret");
        phone2 = new FakeTerminal(sipPort, "pod-2", "pod-2-secret");
        assertThat(phone.register()).isEqualTo(200);
        assertThat(phone2.register()).isEqualTo(200);

        SipMessage ok = phone.invite(CALLEE, phone.sdp());
        assertThat(ok.status()).isEqualTo(200);
        phone.ack();
        phone.infoDigits(PIN);
        trunk.awaitInvite();
        trunk.answer();
        assertThat(trunk.infoDigit("application/dtmf", "1")).isEqualTo(200);
        awaitBody(httpPort, "/api/v1/calls", "\"state\":\"bridged\"");

        gateway.terminate();
        gateway.awaitLine(l -> l.contains("draining: new calls are refused; 1 in progress"), Duration.ofSeconds(10),
                "the drain");
        long drainStarted = System.nanoTime();
        assertThat(phone2.invite(CALLEE, phone2.sdp()).status()).isEqualTo(503);
        assertThat(gateway.process().isAlive()).isTrue();

        phone.awaitBye();
        trunk.awaitAndAnswer("BYE", 200, "OK");
        assertThat(Duration.ofNanos(System.nanoTime() - drainStarted)).isGreaterThanOrEqualTo(DRAIN.minusMillis(500));
        assertThat(gateway.awaitExit(Duration.ofSeconds(30))).isEqualTo(0);

        String log = gateway.stdout();
        assertThat(log).contains("gateway stopped").doesNotContain(PIN).doesNotContain(PEPPER)
                .doesNotContain(STAFF_TOKEN).doesNotContain("pod-1-secret");
        try (JdbcPolicyStore store = PolicyStores.open(new StoreConfig(StoreConfig.embeddedUrl(data), Optional.empty(),
                Optional.empty(), 2, "inspector", RateCaps.standard()))) {
            List<CallRecord> cdrs = store.callRecords(CdrQuery.all());
            assertThat(cdrs).hasSize(1);
            CallRecord cdr = cdrs.getFirst();
            assertThat(cdr.disposition()).isEqualTo(Disposition.COMPLETED);
            assertThat(cdr.billedSeconds()).isEqualTo(60);
            assertThat(cdr.chargeCents()).isEqualTo(5);
            assertThat(store.account("acct-family").orElseThrow().balanceCents()).isEqualTo(1995);
            // Every line about the call carries its id: the call's own thread and the B2BUA's worker.
            assertThat(log.lines().filter(l -> l.contains("call ended: completed"))).singleElement().asString()
                    .contains(" " + cdr.callId() + " - ");
            assertThat(log.lines().filter(l -> l.contains("o.i.g.s.b.TrunkSipLeg") && l.contains("INVITE +1573")))
                    .singleElement().asString().contains(" " + cdr.callId() + " - ");
            assertWellFormedWav(Path.of(cdr.recordingFile().orElseThrow()));
        }
    }

    /** The RIFF and data chunk sizes agree with the file's length; 8 kHz, two channels. */
    static void assertWellFormedWav(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).isEqualTo(bytes.length - 8);
        int at = 12;
        int dataSize = -1;
        int dataStart = -1;
        while (at + 8 <= bytes.length) {
            String id = new String(bytes, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (id.equals("data")) {
                dataSize = size;
                dataStart = at + 8;
                break;
            }
            at += 8 + size + (size & 1);
        }
        assertThat(dataStart).isPositive();
        assertThat(dataStart + dataSize).isEqualTo(bytes.length);
        AudioFileFormat format = AudioSystem.getAudioFileFormat(file.toFile());
        assertThat(format.getFormat().getSampleRate()).isEqualTo(8000f);
        assertThat(format.getFormat().getChannels()).isEqualTo(2);
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + STAFF_TOKEN).timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    void awaitBody(int port, String path, String fragment) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = get(port, path);
            last = r.statusCode() + " " + r.body();
            if (r.statusCode() == 200 && r.body().contains(fragment)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        throw new AssertionError("no " + fragment + " in " + path + " within 10 s; last: " + last);
    }
}
