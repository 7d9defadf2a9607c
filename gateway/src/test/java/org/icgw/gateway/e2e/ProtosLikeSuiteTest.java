package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.torture.Answers;
import org.icgw.gateway.sip.torture.LogCapture;
import org.icgw.gateway.sip.torture.SipMutator;
import org.icgw.gateway.sip.torture.SipMutator.Base;
import org.icgw.gateway.sip.torture.SipMutator.Mutant;
import org.icgw.gateway.sip.torture.SipMutator.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our PROTOS-like suite ({@link SipMutator}, after the c07-sip suite) against a real in-process
 * gateway: 4,000 malformed variants of INVITE, REGISTER, OPTIONS, BYE and INFO over UDP, paced by
 * an OPTIONS probe from another socket every {@link #WINDOW} datagrams (the gateway must keep
 * answering it), and every {@link #TCP_EVERY}th variant over TCP on a fresh connection. No variant
 * the generator broke gets a 2xx; no reason phrase leaks internals; no response body carries the
 * request back; afterwards the gateway answers an OPTIONS and a provisioned phone's REGISTER, and
 * nothing was logged at ERROR (logged with the production levels, away from the test output).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ProtosLikeSuiteTest {

    private static final Logger log = LoggerFactory.getLogger(ProtosLikeSuiteTest.class);
    private static final long SEED = 0x4475_0C07L;
    private static final int VARIANTS = 4_000;
    /** Datagrams between two probes: few enough that the gateway's receive buffer keeps them all. */
    private static final int WINDOW = 50;
    /** The TCP sample: every 20th variant, 200 connections. */
    private static final int TCP_EVERY = 20;
    /** TCP connections open at once (below the per-source connection limit). */
    private static final int TCP_PARALLEL = 20;
    /** How long a TCP variant's connection is read: a message still missing bytes is never answered. */
    private static final Duration TCP_WAIT = Duration.ofSeconds(1);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);
    /** Probes unanswered in a row after which the gateway counts as down and the flood stops. */
    private static final int MISSED_PROBES_TO_STOP = 3;
    /** Answers still arriving after the last probe: collected until none came for this long. */
    private static final Duration DRAIN_QUIET = Duration.ofMillis(500);
    /** Bounds of the two runs: together under a minute on two cores. */
    private static final Duration UDP_BOUND = Duration.ofSeconds(45);
    /** Past this the UDP flood stops sending (and fails), so a slow gateway still gets a report. */
    private static final Duration UDP_SEND_BOUND = Duration.ofSeconds(35);
    private static final Duration TCP_BOUND = Duration.ofSeconds(15);
    /** Examples shown per kind of violation in a failure message. */
    private static final int SHOWN = 8;

    /** What the gateway must never do to a variant. */
    private enum Kind {
        TWO_XX_TO_BROKEN("2xx to a variant that is broken (or cannot be traced)"),
        REASON_NOT_PLAIN("reason phrase leaks internals or is not a plain phrase"),
        REQUEST_ECHOED("response body carries the request back"),
        GATEWAY_SILENT("the gateway stopped answering"),
        NOT_A_RESPONSE("something other than a response came back");

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private record Violation(Kind kind, String detail) {
    }

    @RegisterExtension
    static final TortureGateway gateway = TortureGateway.flood();

    private final String marker = SipMutator.newMarker();
    private final SipMutator mutator = new SipMutator(SEED, marker);

    /** The unbroken bases get their ordinary answers: the suite starts from valid requests. */
    @Test
    void validBasesGetTheirOrdinaryAnswers() throws Exception {
        Map<Base, Integer> expected = Map.of(Base.OPTIONS, 200, Base.INVITE, 401, Base.REGISTER, 401, Base.BYE, 481,
                Base.INFO, 481);
        for (Base base : Base.values()) {
            try (RawSipClient client = RawSipClient.udp(gateway.port())) {
                Target target = new Target("127.0.0.1", gateway.port(), "UDP", client.localHost(), client.localPort());
                client.send(mutator.valid(base, 990_000 + base.ordinal(), target));
                Optional<String> answer = client.receiveFinal(PROBE_WAIT);
                assertThat(answer).as(base.name()).isPresent();
                assertThat(Answers.status(answer.get())).as(base.name()).isEqualTo(expected.get(base));
                assertThat(SipMutator.idIn(answer.get())).isEqualTo(990_000 + base.ordinal());
            }
        }
    }

    @Test
    void fourThousandVariantsOverUdpGetNo2xxUnlessStillValid() throws Exception {
        long started = System.nanoTime();
        List<Violation> violations = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = new TreeMap<>();
        Set<Integer> answered = new HashSet<>();
        List<Mutant> mutants;
        int probesMissed = 0;
        int sent = 0;
        long errors;
        String logReport;
        List<String> answers = Collections.synchronizedList(new ArrayList<>());
        try (LogCapture capture = LogCapture.attach(marker, LogCapture.Levels.PRODUCTION);
             RawSipClient attacker = RawSipClient.udp(gateway.port());
             RawSipClient probe = RawSipClient.udp(gateway.port())) {
            Target target = new Target("127.0.0.1", gateway.port(), "UDP", attacker.localHost(), attacker.localPort());
            mutants = mutator.mutants(VARIANTS, target);
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        attacker.receive(Duration.ofMillis(100)).ifPresent(answers::add);
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            long sendDeadline = started + UDP_SEND_BOUND.toNanos();
            int missedInARow = 0;
            for (Mutant m : mutants) {
                if (System.nanoTime() > sendDeadline || missedInARow == MISSED_PROBES_TO_STOP) {
                    violations.add(new Violation(Kind.GATEWAY_SILENT, "only " + sent + " of " + VARIANTS
                            + " variants sent: " + (missedInARow == MISSED_PROBES_TO_STOP ? "probes unanswered"
                            : "the flood took over " + UDP_SEND_BOUND.toSeconds() + " s")));
                    break;
                }
                attacker.send(m.bytes());
                sent++;
                if (sent % WINDOW == 0) {
                    if (gateway.answersProbe(probe, PROBE_WAIT)) {
                        missedInARow = 0;
                    } else {
                        missedInARow++;
                        probesMissed++;
                        violations.add(new Violation(Kind.GATEWAY_SILENT, "no answer to the probe after variant "
                                + m.index()));
                    }
                }
            }
            awaitNoMore(answers);
            stop.set(true);
            reader.join();
            errors = capture.errors();
            logReport = capture.report();
        }
        for (String answer : List.copyOf(answers)) {
            if (!Answers.isResponse(answer)) {
                violations.add(new Violation(Kind.NOT_A_RESPONSE, Answers.shown(answer)));
                continue;
            }
            int status = Answers.status(answer);
            statuses.merge(status, 1, Integer::sum);
            int id = SipMutator.idIn(answer);
            answered.add(id);
            Optional<Mutant> mutant = id >= 0 && id < mutants.size() ? Optional.of(mutants.get(id)) : Optional.empty();
            violations.addAll(problems(answer, mutant, status));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        long broken = mutants.stream().limit(sent).filter(Mutant::broken).count();
        log.info("PROTOS-like over UDP: {} of {} variants sent ({} broken), {} answered, answers by status {}, "
                + "{} probes missed, {} ERROR events, violations {}, {} ms", sent, VARIANTS, broken, answered.size(),
                statuses, probesMissed, errors, counts(violations), took.toMillis());

        assertSurvived("UDP", violations, errors, logReport, took, UDP_BOUND);
    }

    @Test
    void aSampleOverTcpGetsNo2xxUnlessStillValid() throws Exception {
        long started = System.nanoTime();
        List<Violation> violations = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> statuses = Collections.synchronizedMap(new TreeMap<>());
        int sample = 0;
        long errors;
        String logReport;
        try (LogCapture capture = LogCapture.attach(marker, LogCapture.Levels.PRODUCTION)) {
            for (int first = 0; first < VARIANTS; first += TCP_EVERY * TCP_PARALLEL) {
                List<Thread> window = new ArrayList<>();
                for (int i = first; i < Math.min(VARIANTS, first + TCP_EVERY * TCP_PARALLEL); i += TCP_EVERY) {
                    int index = i;
                    sample++;
                    window.add(Thread.ofVirtual().start(() -> oneOverTcp(index, violations, statuses)));
                }
                for (Thread t : window) {
                    t.join();
                }
            }
            errors = capture.errors();
            logReport = capture.report();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.info("PROTOS-like over TCP: {} variants, answers by status {}, {} ERROR events, violations {}, {} ms",
                sample, statuses, errors, counts(violations), took.toMillis());

        assertSurvived("TCP", violations, errors, logReport, took, TCP_BOUND);
    }

    /** No violation, the gateway serves an OPTIONS over {@code transport} and a real REGISTER, no ERROR, in time. */
    private static void assertSurvived(String transport, List<Violation> violations, long errors, String logReport,
            Duration took, Duration bound) throws Exception {
        assertThat(shown(violations)).as("violations over " + transport).isEmpty();
        assertThat(gateway.options(transport)).isEqualTo(200);
        assertThat(gateway.register()).isEqualTo(200);
        assertThat(errors).as(logReport).isZero();
        assertThat(took).isLessThan(bound);
    }

    /** One variant on its own connection: every answer read until {@link #TCP_WAIT} or the gateway closes. */
    private void oneOverTcp(int index, List<Violation> violations, Map<Integer, Integer> statuses) {
        try (RawSipClient client = RawSipClient.tcp(gateway.port())) {
            Target target = new Target("127.0.0.1", gateway.port(), "TCP", client.localHost(), client.localPort());
            Mutant m = mutator.mutant(index, target);
            try {
                client.send(m.bytes());
            } catch (IOException closedEarly) {
                return; // the gateway cut the connection while the variant was still being written
            }
            long deadline = System.nanoTime() + TCP_WAIT.toNanos();
            for (long left = TCP_WAIT.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                Optional<String> answer = client.receive(Duration.ofNanos(left));
                if (answer.isEmpty()) {
                    break;
                }
                if (!Answers.isResponse(answer.get())) {
                    violations.add(new Violation(Kind.NOT_A_RESPONSE, m + ": " + Answers.shown(answer.get())));
                    continue;
                }
                int status = Answers.status(answer.get());
                statuses.merge(status, 1, Integer::sum);
                violations.addAll(problems(answer.get(), Optional.of(m), status));
            }
        } catch (IOException e) {
            violations.add(new Violation(Kind.GATEWAY_SILENT, "variant " + index + ": no TCP connection: " + e));
        }
    }

    /** What is wrong with one answer to a variant (unknown variant: as if broken). */
    private List<Violation> problems(String answer, Optional<Mutant> mutant, int status) {
        List<Violation> problems = new ArrayList<>();
        String which = mutant.map(Mutant::toString).orElse("an untraceable message");
        if (status >= 200 && status < 300 && mutant.map(Mutant::broken).orElse(true)) {
            problems.add(new Violation(Kind.TWO_XX_TO_BROKEN, which + ": " + Answers.shown(Answers.statusLine(answer))));
        }
        Answers.reasonProblem(answer).ifPresent(p -> problems.add(new Violation(Kind.REASON_NOT_PLAIN, which + ": " + p)));
        if (Answers.body(answer).contains(marker)) {
            problems.add(new Violation(Kind.REQUEST_ECHOED, which + ": the " + status + " has "
                    + Answers.body(answer).length() + " bytes of body"));
        }
        return problems;
    }

    /** Waits until no answer has arrived for {@link #DRAIN_QUIET} (at most {@link #PROBE_WAIT}). */
    private static void awaitNoMore(List<String> answers) {
        long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
        int seen = answers.size();
        long since = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - since < DRAIN_QUIET.toNanos()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (answers.size() != seen) {
                seen = answers.size();
                since = System.nanoTime();
            }
        }
    }

    /** Per kind of violation: how many, and the first few. Empty when there were none. */
    private static List<String> shown(List<Violation> violations) {
        List<String> shown = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            List<String> of = List.copyOf(violations).stream().filter(v -> v.kind() == kind).map(Violation::detail).toList();
            if (!of.isEmpty()) {
                shown.add(of.size() + " x " + kind.text + ", e.g.:");
                of.stream().limit(SHOWN).map(d -> "    " + d).forEach(shown::add);
            }
        }
        return shown;
    }

    private static Map<Kind, Long> counts(List<Violation> violations) {
        Map<Kind, Long> counts = new EnumMap<>(Kind.class);
        List.copyOf(violations).forEach(v -> counts.merge(v.kind(), 1L, Long::sum));
        return counts;
    }
}
