package org.icgw.gateway.sip.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.icgw.gateway.sip.FreePorts;
import org.icgw.gateway.sip.RawSipClient;
import org.icgw.gateway.sip.SipEndpoint;
import org.icgw.gateway.sip.SipEndpointConfig;
import org.icgw.gateway.sip.SipFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** REGISTER with digest authentication over real UDP and TCP, the digest computed by the test. */
class RegistrarTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    private static final String REALM = "icgw.test";

    private final MutableClock clock = new MutableClock();
    private final Map<String, TerminalCredentials> terminals = Map.of(
            "1001", new TerminalCredentials("1001", "secret-1001", true, "t-1001", "f-1"),
            "1002", new TerminalCredentials("1002", "secret-1002", false, "t-1002", "f-1"),
            "1003", new TerminalCredentials("1003", "secret-1003", true, "t-1003", "f-2"));
    private final Registrations registrations = new Registrations(clock);
    private SipEndpoint endpoint;
    private int port;

    @BeforeEach
    void start() throws Exception {
        port = FreePorts.udpAndTcp();
        SipFactories factories = SipFactories.create();
        RegistrarConfig config = RegistrarConfig.defaults(REALM);
        Authenticator authenticator = new Authenticator(config, u -> Optional.ofNullable(terminals.get(u)), factories, clock);
        endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port).withRateLimit(1000, 1000))
                .factories(factories)
                .handler("REGISTER", new Registrar(config, authenticator, registrations, clock))
                .build();
        endpoint.start();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    /** One terminal's REGISTER dialogue: same Call-ID, rising CSeq (RFC 3261 §10.2). */
    private final class Phone implements AutoCloseable {
        final String user;
        final RawSipClient socket;
        final String callId = SipFactories.newTag() + "@phone";
        int cseq;

        Phone(String user, String transport) throws Exception {
            this.user = user;
            this.socket = transport.equals("UDP") ? RawSipClient.udp(port) : RawSipClient.tcp(port);
        }

        String requestUri() {
            return "sip:127.0.0.1:" + port;
        }

        String contact() {
            return "sip:" + user + "@" + socket.localHost() + ":" + socket.localPort();
        }

        String register(String headers) throws Exception {
            return register(user, headers);
        }

        String register(String toUser, String headers) throws Exception {
            cseq++;
            socket.send("REGISTER " + requestUri() + " SIP/2.0\r\n"
                    + "Via: " + socket.via() + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: <sip:" + user + "@127.0.0.1>;tag=" + SipFactories.newTag() + "\r\n"
                    + "To: <sip:" + toUser + "@127.0.0.1>\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + cseq + " REGISTER\r\n"
                    + headers
                    + "Content-Length: 0\r\n\r\n");
            return socket.receiveFinal(WAIT).orElseThrow(() -> new AssertionError("no answer to REGISTER"));
        }

        /** REGISTER without credentials; the challenge for {@code algorithm} from the 401. */
        DigestChallenge challenge(String algorithm) throws Exception {
            String response = register("Contact: <" + contact() + ">\r\nExpires: 600\r\n");
            assertThat(RawSipClient.statusOf(response)).isEqualTo(401);
            return challenges(response).stream().filter(c -> c.algorithm().equals(algorithm)).findFirst().orElseThrow();
        }

        String authorization(DigestChallenge challenge, String password, int nc) {
            return "Authorization: " + challenge.authorization(user, password, "REGISTER", requestUri(), nc, "c0ffee" + nc) + "\r\n";
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static List<DigestChallenge> challenges(String response) {
        return RawSipClient.headers(response, "WWW-Authenticate").stream().map(DigestChallenge::parse).toList();
    }

    @Test
    void registerWithoutCredentialsIsChallengedWithSha256FirstThenMd5() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            String response = phone.register("Contact: <" + phone.contact() + ">\r\n");

            assertThat(RawSipClient.statusOf(response)).isEqualTo(401);
            List<DigestChallenge> challenges = challenges(response);
            assertThat(challenges).extracting(DigestChallenge::algorithm).containsExactly("SHA-256", "MD5");
            assertThat(challenges).allSatisfy(c -> {
                assertThat(c.params()).containsEntry("realm", REALM).containsEntry("qop", "auth");
                assertThat(c.stale()).isFalse();
            });
            assertThat(RawSipClient.headers(response, "WWW-Authenticate")).allSatisfy(h -> assertThat(h).contains("qop=\"auth\""));
            assertThat(registrations.isRegistered("1001")).isFalse();
        }
    }

    @ParameterizedTest
    @CsvSource({"SHA-256, UDP", "SHA-256, TCP", "MD5, UDP", "MD5, TCP"})
    void rightPasswordRegistersTheContact(String algorithm, String transport) throws Exception {
        try (Phone phone = new Phone("1001", transport)) {
            DigestChallenge challenge = phone.challenge(algorithm);

            String response = phone.register("Contact: <" + phone.contact() + ">\r\nExpires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(RawSipClient.headers(response, "Contact")).containsExactly("<" + phone.contact() + ">;expires=600");
            assertThat(RawSipClient.header(response, "Expires")).contains("600");
            Binding binding = registrations.binding("1001").orElseThrow();
            assertThat(binding.contact()).isEqualTo(phone.contact());
            assertThat(binding.source().getPort()).isEqualTo(phone.socket.localPort());
            assertThat(binding.transport()).isEqualTo(transport);
            assertThat(binding.terminalId()).isEqualTo("t-1001");
            assertThat(binding.facilityId()).isEqualTo("f-1");
            assertThat(binding.expiresAt()).isEqualTo(clock.instant().plusSeconds(600));
            assertThat(registrations.activeCount()).isEqualTo(1);
        }
    }

    @Test
    void wrongPasswordIsChallengedThenForbidden() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String response = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(challenge, "guess", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(403);
            assertThat(registrations.isRegistered("1001")).isFalse();
        }
    }

    @Test
    void unknownTerminalIsChallengedThenForbidden() throws Exception {
        try (Phone phone = new Phone("9999", "UDP")) {
            DigestChallenge challenge = phone.challenge("MD5");

            String response = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(challenge, "any", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(403);
            assertThat(registrations.activeCount()).isZero();
        }
    }

    @Test
    void disabledTerminalIsForbiddenEvenWithItsPassword() throws Exception {
        try (Phone phone = new Phone("1002", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String response = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(challenge, "secret-1002", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(403);
            assertThat(registrations.isRegistered("1002")).isFalse();
        }
    }

    @Test
    void registeringAnotherTerminalsAddressIsForbidden() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String response = phone.register("1003", "Contact: <" + phone.contact() + ">\r\n" + phone.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(403);
            assertThat(registrations.isRegistered("1003")).isFalse();
            assertThat(registrations.isRegistered("1001")).isFalse();
        }
    }

    @Test
    void aReplayedNonceCountIsRefusedAndANewOneAccepted() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");
            String first = phone.authorization(challenge, "secret-1001", 1);
            assertThat(RawSipClient.statusOf(phone.register("Contact: <" + phone.contact() + ">\r\nExpires: 600\r\n" + first)))
                    .isEqualTo(200);

            String replay = phone.register("Contact: <" + phone.contact() + ">\r\nExpires: 0\r\n" + first);

            assertThat(RawSipClient.statusOf(replay)).isEqualTo(401);
            assertThat(challenges(replay)).allSatisfy(c -> assertThat(c.stale()).isTrue());
            assertThat(registrations.isRegistered("1001")).isTrue();

            String next = phone.register("Contact: <" + phone.contact() + ">\r\nExpires: 0\r\n" + phone.authorization(challenge, "secret-1001", 2));
            assertThat(RawSipClient.statusOf(next)).isEqualTo(200);
            assertThat(registrations.isRegistered("1001")).isFalse();
        }
    }

    @Test
    void anExpiredNonceIsChallengedAgainWithStaleTrue() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge old = phone.challenge("MD5");
            clock.advance(RegistrarConfig.defaults(REALM).nonceLifetime().plusSeconds(1));

            String stale = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(old, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(stale)).isEqualTo(401);
            List<DigestChallenge> fresh = challenges(stale);
            assertThat(fresh).allSatisfy(c -> assertThat(c.stale()).isTrue());
            assertThat(fresh.getFirst().nonce()).isNotEqualTo(old.nonce());

            DigestChallenge md5 = fresh.stream().filter(c -> c.algorithm().equals("MD5")).findFirst().orElseThrow();
            String retry = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(md5, "secret-1001", 1));
            assertThat(RawSipClient.statusOf(retry)).isEqualTo(200);
        }
    }

    @Test
    void anExpiredNonceWithAWrongPasswordIsForbiddenNotStale() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge old = phone.challenge("MD5");
            clock.advance(Duration.ofHours(1));

            String response = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(old, "guess", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(403);
        }
    }

    @Test
    void aNonceNotIssuedHereIsNeverAccepted() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge real = phone.challenge("SHA-256");
            Map<String, String> forged = new HashMap<>(real.params());
            forged.put("nonce", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");

            String response = phone.register("Contact: <" + phone.contact() + ">\r\n"
                    + phone.authorization(new DigestChallenge(forged), "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(401);
            assertThat(registrations.isRegistered("1001")).isFalse();
        }
    }

    @Test
    void expiresZeroUnregistersAndWildcardRemovesEveryContact() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");
            String two = "Contact: <" + phone.contact() + ">\r\nContact: <sip:1001@127.0.0.1:5999>;expires=120\r\nExpires: 600\r\n";
            String registered = phone.register(two + phone.authorization(challenge, "secret-1001", 1));
            assertThat(String.join(",", RawSipClient.headers(registered, "Contact")).split(",(?=<)"))
                    .containsExactlyInAnyOrder("<" + phone.contact() + ">;expires=600", "<sip:1001@127.0.0.1:5999>;expires=120");
            assertThat(registrations.bindings("1001")).hasSize(2);

            String one = phone.register("Contact: <sip:1001@127.0.0.1:5999>;expires=0\r\n" + phone.authorization(challenge, "secret-1001", 2));
            assertThat(RawSipClient.statusOf(one)).isEqualTo(200);
            assertThat(registrations.bindings("1001")).extracting(Binding::contact).containsExactly(phone.contact());

            String all = phone.register("Contact: *\r\nExpires: 0\r\n" + phone.authorization(challenge, "secret-1001", 3));
            assertThat(RawSipClient.statusOf(all)).isEqualTo(200);
            assertThat(RawSipClient.headers(all, "Contact")).isEmpty();
            assertThat(registrations.isRegistered("1001")).isFalse();
            assertThat(registrations.activeCount()).isZero();
        }
    }

    @Test
    void wildcardWithoutExpiresZeroIsABadRequest() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String response = phone.register("Contact: *\r\nExpires: 60\r\n" + phone.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(400);
        }
    }

    @Test
    void tooShortAnIntervalGets423WithMinExpiresAndBindsNothing() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String response = phone.register("Contact: <" + phone.contact() + ">\r\nExpires: 30\r\n" + phone.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(423);
            assertThat(RawSipClient.header(response, "Min-Expires")).contains("60");
            assertThat(registrations.isRegistered("1001")).isFalse();
        }
    }

    @Test
    void tooLongAnIntervalIsShortenedToTheMaximum() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String response = phone.register("Contact: <" + phone.contact() + ">;expires=99999\r\n" + phone.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(RawSipClient.headers(response, "Contact")).containsExactly("<" + phone.contact() + ">;expires=3600");
        }
    }

    @Test
    void noExpiryAskedGetsTheDefaultAndABindingLapsesAtItsExpiry() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");
            String response = phone.register("Contact: <" + phone.contact() + ">\r\n" + phone.authorization(challenge, "secret-1001", 1));
            assertThat(RawSipClient.header(response, "Expires")).contains("3600");

            clock.advance(Duration.ofSeconds(3599));
            assertThat(registrations.isRegistered("1001")).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(registrations.isRegistered("1001")).isFalse();
            assertThat(registrations.activeCount()).isZero();
        }
    }

    @Test
    void aRegisterWithoutContactListsTheBindings() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");
            phone.register("Contact: <" + phone.contact() + ">\r\nExpires: 600\r\n" + phone.authorization(challenge, "secret-1001", 1));
            clock.advance(Duration.ofSeconds(100));

            String query = phone.register(phone.authorization(challenge, "secret-1001", 2));

            assertThat(RawSipClient.statusOf(query)).isEqualTo(200);
            assertThat(RawSipClient.headers(query, "Contact")).containsExactly("<" + phone.contact() + ">;expires=500");
        }
    }

    // ------------------------------------------------------------------ contacts per terminal

    private static String contactAt(int port) {
        return "sip:1001@127.0.0.1:" + port;
    }

    /** The Contact URIs a 200 OK lists, whether in one header line or several. */
    private static List<String> listed(String response) {
        return RawSipClient.headers(response, "Contact").stream()
                .flatMap(h -> Arrays.stream(h.split(",(?=\\s*<)")))
                .map(c -> c.substring(c.indexOf('<') + 1, c.indexOf('>')))
                .toList();
    }

    @Test
    void atTheContactLimitEveryContactIsKeptAndOnePastItTheOldestIsReplaced() throws Exception {
        int max = RegistrarConfig.DEFAULT_MAX_CONTACTS;
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");
            int nc = 0;
            String response = null;
            for (int i = 1; i <= max; i++) {
                clock.advance(Duration.ofSeconds(1));
                response = phone.register("Contact: <" + contactAt(6000 + i) + ">\r\nExpires: 600\r\n"
                        + phone.authorization(challenge, "secret-1001", ++nc));
                assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            }
            assertThat(listed(response)).containsExactlyInAnyOrder(contactAt(6001), contactAt(6002), contactAt(6003),
                    contactAt(6004), contactAt(6005));
            assertThat(registrations.bindings("1001")).hasSize(max);

            clock.advance(Duration.ofSeconds(1));
            String past = phone.register("Contact: <" + contactAt(6006) + ">\r\nExpires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", ++nc));

            assertThat(RawSipClient.statusOf(past)).isEqualTo(200);
            assertThat(listed(past)).hasSize(max).doesNotContain(contactAt(6001)).contains(contactAt(6006));
            assertThat(registrations.bindings("1001")).extracting(Binding::contact).containsExactly(contactAt(6006),
                    contactAt(6005), contactAt(6004), contactAt(6003), contactAt(6002));
            assertThat(registrations.binding("1001").orElseThrow().contact()).isEqualTo(contactAt(6006));

            // A refresh makes a contact the newest again: the next new one replaces the least recently refreshed.
            clock.advance(Duration.ofSeconds(1));
            phone.register("Contact: <" + contactAt(6002) + ">\r\nExpires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", ++nc));
            clock.advance(Duration.ofSeconds(1));
            String next = phone.register("Contact: <" + contactAt(6007) + ">\r\nExpires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", ++nc));
            assertThat(listed(next)).containsExactlyInAnyOrder(contactAt(6002), contactAt(6004), contactAt(6005),
                    contactAt(6006), contactAt(6007));
            assertThat(registrations.activeCount()).isEqualTo(max);
        }
    }

    @Test
    void oneRegisterListingMoreContactsThanTheLimitKeepsItsLastOnes() throws Exception {
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");
            StringBuilder contacts = new StringBuilder();
            for (int i = 1; i <= 8; i++) {
                contacts.append("Contact: <").append(contactAt(7000 + i)).append(">\r\n");
            }
            String response = phone.register(contacts + "Expires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(listed(response)).containsExactlyInAnyOrder(contactAt(7004), contactAt(7005), contactAt(7006),
                    contactAt(7007), contactAt(7008));
        }
    }

    @Test
    void thirteenHundredRegistersWithDistinctContactsLeaveFiveBindingsAndEveryAnswerSmall() throws Exception {
        int max = RegistrarConfig.DEFAULT_MAX_CONTACTS;
        int largest = 0;
        try (Phone attacker = new Phone("1001", "UDP")) {
            DigestChallenge challenge = attacker.challenge("SHA-256");
            for (int i = 1; i <= 1300; i++) {
                String response = attacker.register("Contact: <" + contactAt(10_000 + i) + ">\r\nExpires: 600\r\n"
                        + attacker.authorization(challenge, "secret-1001", i));
                assertThat(RawSipClient.statusOf(response)).as("REGISTER %d", i).isEqualTo(200);
                assertThat(listed(response)).as("REGISTER %d", i).hasSize(Math.min(i, max));
                largest = Math.max(largest, response.getBytes(StandardCharsets.UTF_8).length);
            }
        }
        assertThat(largest).as("the largest 200 OK, in bytes").isLessThan(2048);
        assertThat(registrations.bindings("1001")).extracting(Binding::contact).containsExactly(contactAt(11_300),
                contactAt(11_299), contactAt(11_298), contactAt(11_297), contactAt(11_296));

        try (Phone real = new Phone("1001", "UDP")) {
            DigestChallenge challenge = real.challenge("MD5");
            String response = real.register("Contact: <" + real.contact() + ">\r\nExpires: 600\r\n"
                    + real.authorization(challenge, "secret-1001", 1));

            assertThat(RawSipClient.statusOf(response)).isEqualTo(200);
            assertThat(listed(response)).hasSize(max).contains(real.contact());
            assertThat(registrations.binding("1001").orElseThrow().contact()).isEqualTo(real.contact());
            assertThat(registrations.bindings("1001")).hasSize(max);
        }
    }

    @Test
    void aContactUriAtItsLengthLimitIsBoundAndOnePastIsRefused() throws Exception {
        String head = "sip:1001@127.0.0.1:5999;x=";
        String atLimit = head + "a".repeat(Registrar.MAX_CONTACT_URI_LENGTH - head.length());
        String past = head + "b".repeat(Registrar.MAX_CONTACT_URI_LENGTH + 1 - head.length());
        assertThat(atLimit).hasSize(Registrar.MAX_CONTACT_URI_LENGTH);
        try (Phone phone = new Phone("1001", "UDP")) {
            DigestChallenge challenge = phone.challenge("SHA-256");

            String taken = phone.register("Contact: <" + atLimit + ">\r\nExpires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", 1));
            assertThat(RawSipClient.statusOf(taken)).isEqualTo(200);
            assertThat(registrations.bindings("1001")).extracting(Binding::contact).containsExactly(atLimit);

            String refused = phone.register("Contact: <" + past + ">\r\nExpires: 600\r\n"
                    + phone.authorization(challenge, "secret-1001", 2));
            assertThat(RawSipClient.statusOf(refused)).isEqualTo(400);
            assertThat(registrations.bindings("1001")).extracting(Binding::contact).containsExactly(atLimit);
        }
    }
}
