package org.icgw.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icgw.gateway.Gateway;
import org.icgw.gateway.GatewayConfig;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.security.SecurityEvents;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.registrar.DigestChallenge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Password guessing and username enumeration against a real {@link Gateway} over loopback: the
 * guessing address is banned after {@code auth_failures_to_ban} failures and answered nothing,
 * another address registers meanwhile, and a provisioned and an unknown username get the same
 * answers. The security event lines are read back through the fail2ban filter the gateway ships.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AbuseControlTest {

    private static final int FAILURES_TO_BAN = 20;
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final Duration SILENCE = Duration.ofMillis(700);
    private static final Duration PACE = Duration.ofMillis(3);
    private static final InetAddress ATTACKER = address("127.0.0.1");
    private static final InetAddress HONEST = address("127.0.0.2");

    @TempDir
    Path data;

    private Gateway gateway;
    private int port;
    private final ListAppender<ILoggingEvent> securityLog = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.udpAndTcp();
        Path seed = data.resolve("seed.yaml");
        try (InputStream in = AbuseControlTest.class.getResourceAsStream("/e2e/seed.yaml")) {
            Files.copy(in, seed);
        }
        GatewayConfig base = GatewayCallTest.config(data, port, seed, List.of(FreePorts.udpAndTcp()));
        gateway = Gateway.start(base.withSip(base.sip().withLimits(base.sip().limits()
                .withBan(FAILURES_TO_BAN, Duration.ofSeconds(60), Duration.ofMinutes(10)))));
        securityLog.start();
        ((Logger) LoggerFactory.getLogger(SecurityEvents.LOGGER)).addAppender(securityLog);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(SecurityEvents.LOGGER)).detachAppender(securityLog);
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void guessingAddressIsBannedWhileAnotherAddressRegisters() throws Exception {
        int forbidden = 0;
        int attempts = 0;
        try (RawSipClient attacker = RawSipClient.udp(port, ATTACKER)) {
            while (attempts < 200) {
                attempts++;
                Optional<String> challenge = send(attacker, "REGISTER", "pod-1", "");
                if (challenge.isEmpty()) {
                    break;
                }
                assertThat(RawSipClient.statusOf(challenge.get())).isEqualTo(401);
                String wrong = authorization(challenge.get(), "pod-1", "guess-" + attempts, "REGISTER");
                assertThat(send(attacker, "REGISTER", "pod-1", wrong)).map(RawSipClient::statusOf).contains(403);
                forbidden++;
                if (attempts == FAILURES_TO_BAN / 2) {
                    assertThat(register(HONEST, "pod-2", "pod-2-secret")).isEqualTo(200);
                }
            }
            assertThat(forbidden).isEqualTo(FAILURES_TO_BAN);
            assertThat(attempts).isEqualTo(FAILURES_TO_BAN + 1);

            // The rest of the 200 guesses and then the right password: the banned address hears nothing.
            for (int i = attempts; i < 200; i++) {
                attacker.send(request(attacker, "REGISTER", "pod-1", ""));
                LockSupport.parkNanos(PACE.toNanos()); // a paced flood: the kernel's queue keeps every datagram
            }
            attacker.send(request(attacker, "REGISTER", "pod-1",
                    "Authorization: Digest username=\"pod-1\", realm=\"icgw\", nonce=\"x\", uri=\"sip:127.0.0.1:" + port
                            + "\", response=\"00\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c\"\r\n"));
            assertThat(attacker.receive(SILENCE)).isEmpty();
        }
        assertThat(register(HONEST, "pod-2", "pod-2-secret")).isEqualTo(200);

        SecurityEvents events = gateway.sip().events();
        assertThat(events.count(SecurityEvent.AUTH_FAILED)).isEqualTo(FAILURES_TO_BAN);
        assertThat(events.count(SecurityEvent.BANNED)).isEqualTo(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.count(SecurityEvent.BANNED_REQUEST) < 200 - FAILURES_TO_BAN + 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(events.count(SecurityEvent.BANNED_REQUEST)).isEqualTo(200 - FAILURES_TO_BAN + 1);
        assertThat(gateway.sip().guard().banned(ATTACKER)).isTrue();
        assertThat(gateway.sip().guard().banned(HONEST)).isFalse();
        assertThat(gateway.meters().scrape()).contains("icgw_security_events_total{type=\"auth_failed\"} 20.0");

        // What fail2ban reads: the shipped filter, run by fail2ban-regex over the lines the gateway wrote.
        List<String> lines = securityLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("guess-").doesNotContain("response="));
        List<String> failures = lines.stream().filter(l -> l.contains(" auth_failed from ")
                || l.contains(" banned_request from ")).toList();
        assertThat(failures).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(l -> assertThat(l).contains(" from 127.0.0.1"));
        assertThat(fail2banRegex(lines)).isEqualTo(new Fail2banCount(lines.size(), failures.size()));
    }

    @Test
    void provisionedAndUnknownUsernamesGetTheSameAnswers() throws Exception {
        for (String method : List.of("REGISTER", "INVITE")) {
            Answers known = answers(method, "pod-1");
            Answers unknown = answers(method, "pod-9999");
            assertThat(unknown.challengeStatus()).isEqualTo(known.challengeStatus()).isEqualTo("SIP/2.0 401 Unauthorized");
            assertThat(unknown.challenges()).isEqualTo(known.challenges()).hasSize(2);
            assertThat(unknown.challengeHeaders()).isEqualTo(known.challengeHeaders());
            assertThat(unknown.refusalStatus()).isEqualTo(known.refusalStatus()).isEqualTo("SIP/2.0 403 Forbidden");
            assertThat(unknown.refusalHeaders()).isEqualTo(known.refusalHeaders());
        }
        assertThat(gateway.sip().events().count(SecurityEvent.AUTH_FAILED)).isEqualTo(4);
    }

    @Test
    void serverHeaderNamesTheProductWithoutAVersion() throws Exception {
        try (RawSipClient client = RawSipClient.udp(port)) {
            String options = send(client, "OPTIONS", "pod-1", "").orElseThrow();
            assertThat(RawSipClient.statusOf(options)).isEqualTo(200);
            assertThat(RawSipClient.header(options, "Server")).contains("icgw");
        }
    }

    /** The status lines and header shapes of a method's 401 and 403 for {@code user}. */
    private record Answers(String challengeStatus, List<String> challenges, List<String> challengeHeaders,
            String refusalStatus, List<String> refusalHeaders) {
    }

    private Answers answers(String method, String user) throws Exception {
        try (RawSipClient client = RawSipClient.tcp(port)) {
            String challenge = send(client, method, user, "").orElseThrow();
            String refusal = send(client, method, user, authorization(challenge, user, "wrong-password", method))
                    .orElseThrow();
            List<String> shapes = RawSipClient.headers(challenge, "WWW-Authenticate").stream()
                    .map(h -> h.replaceAll("nonce=\"[^\"]*\"", "nonce=\"*\"")).toList();
            return new Answers(statusLine(challenge), shapes, headerNames(challenge), statusLine(refusal),
                    headerNames(refusal));
        }
    }

    private Optional<String> send(RawSipClient client, String method, String user, String extra) throws Exception {
        client.send(request(client, method, user, extra));
        return client.receiveFinal(WAIT);
    }

    private String request(RawSipClient client, String method, String user, String extra) {
        String uri = method.equals("REGISTER") ? "sip:127.0.0.1:" + port : "sip:5735550123@127.0.0.1:" + port;
        String to = method.equals("REGISTER") ? "<sip:" + user + "@127.0.0.1>" : "<" + uri + ">";
        return method + " " + uri + " SIP/2.0\r\n"
                + "Via: " + client.via() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:" + user + "@127.0.0.1>;tag=" + SipFactories.newTag() + "\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: " + SipFactories.newTag() + "@abuse\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Contact: <sip:" + user + "@" + client.localHost() + ":" + client.localPort() + ";transport="
                + client.transport().toLowerCase() + ">\r\n"
                + extra
                + "Content-Length: 0\r\n\r\n";
    }

    private String authorization(String challenge, String user, String password, String method) {
        DigestChallenge md5 = RawSipClient.headers(challenge, "WWW-Authenticate").stream().map(DigestChallenge::parse)
                .filter(c -> c.algorithm().equals("MD5")).findFirst().orElseThrow();
        String uri = method.equals("REGISTER") ? "sip:127.0.0.1:" + port : "sip:5735550123@127.0.0.1:" + port;
        return "Authorization: " + md5.authorization(user, password, method, uri, 1, "c0ffee") + "\r\n";
    }

    /** A full REGISTER dialogue from {@code from}: the final status. */
    private int register(InetAddress from, String user, String password) throws Exception {
        try (RawSipClient phone = RawSipClient.udp(port, from)) {
            String challenge = send(phone, "REGISTER", user, "").orElseThrow();
            String answer = send(phone, "REGISTER", user, authorization(challenge, user, password, "REGISTER"))
                    .orElseThrow();
            return RawSipClient.statusOf(answer);
        }
    }

    private static String statusLine(String message) {
        return message.substring(0, message.indexOf("\r\n"));
    }

    private static List<String> headerNames(String message) {
        String head = message.substring(message.indexOf("\r\n") + 2, message.indexOf("\r\n\r\n"));
        return head.lines().map(l -> l.substring(0, l.indexOf(':')).trim()).toList();
    }

    private record Fail2banCount(int lines, int matched) {
    }

    /** Runs fail2ban-regex (Debian's fail2ban) with the shipped filter over {@code lines}, dated as a log file. */
    private Fail2banCount fail2banRegex(List<String> lines) throws Exception {
        Path log = data.resolve("security.log");
        Files.write(log, lines.stream().map(l -> "2026-12-03 12:00:00.000 WARN org.icgw.security - " + l).toList());
        Path filter = Path.of("..", "deploy", "fail2ban", "filter.d", "icgw.conf").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("fail2ban-regex", log.toString(), filter.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Matcher m = Pattern.compile("Lines: (\\d+) lines, \\d+ ignored, (\\d+) matched").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return new Fail2banCount(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
