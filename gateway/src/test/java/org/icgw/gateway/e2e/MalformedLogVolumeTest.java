package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.torture.LogCapture;
import org.icgw.gateway.sip.torture.SipMutator;
import org.icgw.gateway.sip.torture.SipMutator.Mutant;
import org.icgw.gateway.sip.torture.SipMutator.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logging under attack (issue 10): 10,000 malformed datagrams, broken variants of {@link SipMutator}
 * mixed with 65,000-byte datagrams of NUL bytes, write less than {@link #LOG_BOUND} bytes of log in
 * all, measured as production writes it (the pattern and levels of {@code logback.xml}), and no log
 * line holds payload bytes: every datagram carries a marker that must never appear in the log.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class MalformedLogVolumeTest {

    private static final Logger log = LoggerFactory.getLogger(MalformedLogVolumeTest.class);
    private static final long SEED = 0x10_6_10L;
    private static final int DATAGRAMS = 10_000;
    /** Every 200th datagram is NUL bytes: 50 of them. */
    private static final int NUL_EVERY = 200;
    /** A NUL datagram's size: near the largest UDP payload (65,507). */
    private static final int NUL_DATAGRAM = 65_000;
    /** The bound of issue 10: under 100 kB of log for the whole flood. */
    private static final long LOG_BOUND = 100_000;
    /** Datagrams between two probes, so the gateway's receive buffer keeps them all (a NUL datagram is 64 kB). */
    private static final int WINDOW = 50;
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);
    /** Probes unanswered in a row after which the gateway counts as down and the flood stops. */
    private static final int MISSED_PROBES_TO_STOP = 3;
    /** Past this the flood stops sending (and fails), so a slow gateway still gets a report. */
    private static final Duration SEND_BOUND = Duration.ofSeconds(60);
    private static final Duration LOG_QUIET = Duration.ofMillis(500);
    private static final Duration LOG_QUIET_MAX = Duration.ofSeconds(15);

    @RegisterExtension
    static final TortureGateway gateway = TortureGateway.flood();

    @Test
    void tenThousandMalformedDatagramsWriteLittleLogAndNoPayload() throws Exception {
        String marker = SipMutator.newMarker();
        SipMutator mutator = new SipMutator(SEED, marker);
        long started = System.nanoTime();
        int nuls = 0;
        int sent = 0;
        int probesMissed = 0;
        long bytes;
        long hits;
        String report;
        try (LogCapture capture = LogCapture.attach(marker, LogCapture.Levels.PRODUCTION);
             RawSipClient attacker = RawSipClient.udp(gateway.port());
             RawSipClient probe = RawSipClient.udp(gateway.port())) {
            Target target = new Target("127.0.0.1", gateway.port(), "UDP", attacker.localHost(), attacker.localPort());
            int next = 0;
            long sendDeadline = started + SEND_BOUND.toNanos();
            int missedInARow = 0;
            while (sent < DATAGRAMS && missedInARow < MISSED_PROBES_TO_STOP && System.nanoTime() < sendDeadline) {
                sent++;
                if (sent % NUL_EVERY == 0) {
                    attacker.send(nulDatagram(marker));
                    nuls++;
                } else {
                    Mutant m;
                    do {
                        m = mutator.mutant(next++, target);
                    } while (!m.broken());
                    attacker.send(m.bytes());
                }
                if (sent % WINDOW == 0) {
                    boolean answered = gateway.answersProbe(probe, PROBE_WAIT);
                    missedInARow = answered ? 0 : missedInARow + 1;
                    probesMissed += answered ? 0 : 1;
                }
            }
            capture.awaitQuiet(LOG_QUIET, LOG_QUIET_MAX);
            bytes = capture.bytes();
            hits = capture.markerHits();
            report = capture.report();
        }
        log.info("log volume: {} of {} malformed datagrams sent ({} of {} NUL bytes), {}; {} probes missed; {} ms",
                sent, DATAGRAMS, nuls, NUL_DATAGRAM, report.lines().findFirst().orElse(""), probesMissed,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        assertThat(hits).as("log lines with payload bytes: " + report).isZero();
        assertThat(bytes).as(report).isLessThan(LOG_BOUND);
        assertThat(sent).as("datagrams sent before the gateway stopped answering or %d s passed",
                SEND_BOUND.toSeconds()).isEqualTo(DATAGRAMS);
        assertThat(probesMissed).isZero();
        assertThat(gateway.options("UDP")).isEqualTo(200);
    }

    /** NUL bytes with the marker in the middle. */
    private static byte[] nulDatagram(String marker) {
        byte[] datagram = new byte[NUL_DATAGRAM];
        byte[] mark = marker.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mark, 0, datagram, NUL_DATAGRAM / 2, mark.length);
        assertThat(Arrays.copyOf(datagram, 16)).containsOnly(0);
        return datagram;
    }

}
