package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.media.announce.Prompt;
import org.icgw.media.announce.PromptLibrary;
import org.icgw.policy.model.CallRecord;
import org.icgw.policy.store.CdrQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * What every scenario test shares: a gateway started in-process on free loopback ports over a
 * fresh store provisioned from {@code scenarios/seed.yaml}, SIPp agents for the inmate's
 * terminal (UAC) and the trunk (UAS) run at once, and the reading of the outcome: SIPp's exit
 * codes and traces, then the call records and balances in the gateway's store.
 *
 * <p>Everything a test starts is stopped after it: SIPp processes by pid, trunk sockets, the
 * gateway. SIPp's files (output, errors, message traces, the pcaps the test wrote) stay in
 * {@code target/scenarios/<class>/<test>/} for reading after a failure.
 *
 * <p>The tag {@code sipp-scenario} puts these tests in their own surefire run (gateway/pom.xml),
 * where up to three tests run at once (the longest, {@link TimeLimitScenarioTest}, first).
 */
@Tag("sipp-scenario")
@Execution(ExecutionMode.CONCURRENT)
abstract class ScenarioTestBase {
    /** The seed's terminal, inmate and PIN at scn-jail. */
    static final String PHONE = "scn-phone-1";
    static final String PHONE_PASSWORD = "scn-phone-1-secret";
    static final String PIN = "424242";
    /** The family's number, paid by acct-scn-family (500 cents). */
    static final String FAMILY = "15735550123";
    static final String FAMILY_E164 = "+15735550123";
    static final String FAMILY_ACCOUNT = "acct-scn-family";
    static final long FAMILY_BALANCE = 500;
    static final String ANI = "+15735550100";
    /** RFC 4733 payload type both SIPp parties put in their SDP. */
    static final int TELEPHONE_EVENT_PT = 101;
    static final long INMATE_SSRC = 0x1A2B3C4DL;
    static final long CALLEE_SSRC = 0x5E6F7081L;
    /** How far a timed event (a BYE, a prompt) may be from when it is due. */
    static final Duration TOLERANCE = Duration.ofSeconds(1);
    /** Normalised cross-correlation above which a prompt counts as heard (G.711 keeps it near 1). */
    static final double MATCH = 0.9;

    @TempDir
    Path storeDir;

    Path work;
    ScenarioGateway gateway;
    final List<SippAgent> agents = new ArrayList<>();
    final List<TrunkSilence> silences = new ArrayList<>();
    final List<RtpProbe> probes = new ArrayList<>();

    @BeforeEach
    void workFolder(TestInfo info) {
        work = Path.of("target", "scenarios", getClass().getSimpleName(),
                info.getTestMethod().orElseThrow().getName() + info.getDisplayName().replaceAll("[^A-Za-z0-9_-]", "_"))
                .toAbsolutePath();
    }

    @AfterEach
    void stopEverything() {
        agents.forEach(SippAgent::close);
        silences.forEach(TrunkSilence::close);
        probes.forEach(RtpProbe::close);
        if (gateway != null) {
            gateway.close();
        }
        assertThat(agents).as("SIPp processes left running").noneMatch(SippAgent::isAlive);
    }

    /** Starts the gateway with the suite's settings, changed by {@code tweak}, and these trunks. */
    void startGateway(UnaryOperator<ScenarioGateway.Settings> tweak, int... trunkPorts) {
        gateway = ScenarioGateway.start(tweak.apply(ScenarioGateway.Settings.suite(storeDir, trunkPorts)));
    }

    void startGateway(int... trunkPorts) {
        startGateway(s -> s, trunkPorts);
    }

    static int freePort() {
        return FreePorts.udpAndTcp();
    }

    /** An even UDP port {@code p} with {@code p + 2} also free: SIPp binds both as {@code -mp}. */
    static int freeMediaPort() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int p;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                p = probe.getLocalPort() & ~1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (p >= 1024 && p + 3 <= 65_535 && free(p) && free(p + 1) && free(p + 2) && free(p + 3)) {
                return p;
            }
        }
        throw new IllegalStateException("no free media port pair on loopback");
    }

    private static boolean free(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A trunk port where nothing may arrive. */
    TrunkSilence silentTrunk(int port) {
        TrunkSilence s = new TrunkSilence(port);
        silences.add(s);
        return s;
    }

    /** A callee's ear for the trunk's SDP answer. */
    RtpProbe probe() {
        RtpProbe p = new RtpProbe();
        probes.add(p);
        return p;
    }

    /** Starts the trunk's SIPp (UAS) on {@code port}. */
    SippAgent trunk(String name, String scenario, int port, Duration timeout, String... extra) {
        SippAgent a = SippAgent.start(name, scenario, work, null, port, freeMediaPort(), timeout, extra);
        agents.add(a);
        return a;
    }

    /**
     * Registers the inmate's terminal ({@code uac-register-digest.xml}, which must succeed), then
     * starts its call (UAC) to {@code dialed}; the PIN's digits go as keys {@code pin1..pin6} (the
     * scenarios that key it by SIP INFO use them).
     */
    SippAgent inmate(String name, String scenario, String user, String password, String dialed, String pin,
                     Duration timeout, String... extra) {
        succeeded(uac(name + "-register", "uac-register-digest.xml", Duration.ofSeconds(10), "-s", user, "-au", user,
                "-ap", password));
        return unregisteredInmate(name, scenario, user, password, dialed, pin, timeout, extra);
    }

    /** Starts a terminal's call (UAC) without registering it first. */
    SippAgent unregisteredInmate(String name, String scenario, String user, String password, String dialed,
                                 String pin, Duration timeout, String... extra) {
        List<String> options = new ArrayList<>(List.of("-key", "user", user, "-au", user, "-ap", password,
                "-key", "dialed", dialed, "-auth_uri", dialed + "@127.0.0.1:" + gateway.sipPort()));
        for (int i = 0; i < pin.length(); i++) {
            options.addAll(List.of("-key", "pin" + (i + 1), String.valueOf(pin.charAt(i))));
        }
        options.addAll(List.of(extra));
        return uac(name, scenario, timeout, options.toArray(String[]::new));
    }

    /** Starts any UAC scenario toward the gateway with these options. */
    SippAgent uac(String name, String scenario, Duration timeout, String... extra) {
        SippAgent a = SippAgent.start(name, scenario, work, "127.0.0.1:" + gateway.sipPort(), freePort(),
                freeMediaPort(), timeout, extra);
        agents.add(a);
        return a;
    }

    /** The inmate's phone audio for this test: {@code inmate.pcap} in SIPp's working folder. */
    void inmateAudio(RtpCapture stream) {
        stream.write(work.resolve("inmate.pcap"));
    }

    /** The callee's audio for this test: {@code callee.pcap} in SIPp's working folder. */
    void calleeAudio(RtpCapture stream) {
        stream.write(work.resolve("callee.pcap"));
    }

    static RtpCapture inmateStream() {
        return RtpCapture.stream(INMATE_SSRC);
    }

    static RtpCapture calleeStream() {
        return RtpCapture.stream(CALLEE_SSRC);
    }

    /** Asserts the run went exactly as its scenario expects (exit code 0). */
    static SippAgent.Result succeeded(SippAgent agent) {
        SippAgent.Result r = agent.await();
        assertThat(r.exitCode()).as(r.report()).isZero();
        return r;
    }

    /** Waits (bounded) until the store holds {@code n} call records and returns them oldest first. */
    List<CallRecord> awaitCdrs(int n) {
        Instant giveUp = Instant.now().plusSeconds(15);
        List<CallRecord> all = cdrs();
        while (all.size() < n && Instant.now().isBefore(giveUp)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            all = cdrs();
        }
        assertThat(all).as("call records").hasSize(n);
        return all;
    }

    CallRecord onlyCdr() {
        return awaitCdrs(1).getFirst();
    }

    List<CallRecord> cdrs() {
        return gateway.store().callRecords(CdrQuery.all()).stream()
                .sorted(Comparator.comparing(CallRecord::startedAt)).toList();
    }

    /** Asserts the run received one BYE, within {@link #TOLERANCE} of {@code expected}. */
    static void assertByeAround(SippAgent.Result run, Instant expected) {
        assertThat(run.received("BYE")).as(run.report()).hasSize(1);
        Instant at = run.received("BYE").getFirst().at();
        assertThat(Duration.between(expected, at).abs()).as("BYE to %s at %s, expected %s", run.name(), at, expected)
                .isLessThanOrEqualTo(TOLERANCE);
    }

    /** The gateway's English prompt {@code name}. */
    static Prompt prompt(String name) {
        try {
            return PromptLibrary.fromClasspath("prompts", ScenarioTestBase.class.getClassLoader()).get("en", name)
                    .orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When {@code probe} heard prompt {@code name} begin; fails the test if it never did. */
    static Instant heard(RtpProbe probe, String name) {
        return probe.find(prompt(name).samples(), MATCH).orElseThrow(
                () -> new AssertionError("the callee never heard the prompt " + name));
    }

    static Duration length(String name) {
        return Duration.ofMillis(prompt(name).durationMillis());
    }

    long balance(String accountId) {
        return gateway.store().account(accountId).orElseThrow().balanceCents();
    }
}
