package org.icgw.gateway.sip.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.ListIterator;
import java.util.Map;
import java.util.Optional;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.registrar.AuthResult.Authenticated;
import org.icgw.gateway.sip.registrar.AuthResult.Challenge;
import org.icgw.gateway.sip.registrar.AuthResult.Forbidden;
import org.icgw.gateway.sip.registrar.AuthResult.Reason;
import org.junit.jupiter.api.Test;

/** The authenticator on parsed requests, without a network: the INVITE path a call handler takes. */
class AuthenticatorTest {

    private static final String REALM = "icgw.test";
    private static final String INVITE_URI = "sip:5551234567@gw.test";

    private final SipFactories factories = SipFactories.create();
    private final MutableClock clock = new MutableClock();
    private final Map<String, TerminalCredentials> terminals = Map.of(
            "1001", new TerminalCredentials("1001", "secret-1001", true, "t-1001", "f-1"),
            "1002", new TerminalCredentials("1002", "secret-1002", false, "t-1002", "f-1"));
    private final TerminalDirectory directory = u -> Optional.ofNullable(terminals.get(u));
    private final Authenticator authenticator = new Authenticator(RegistrarConfig.defaults(REALM), directory, factories, clock);

    private Request invite(String authorization) throws Exception {
        return factories.messages().createRequest("INVITE " + INVITE_URI + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK" + SipFactories.newTag() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:1001@gw.test>;tag=abc\r\n"
                + "To: <" + INVITE_URI + ">\r\n"
                + "Call-ID: call-1@test\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:1001@127.0.0.1:5062>\r\n"
                + (authorization.isEmpty() ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n");
    }

    /** The challenge for {@code algorithm} in a 401. */
    private static DigestChallenge first(AuthResult result, String algorithm) {
        ListIterator<?> headers = ((Challenge) result).response().getHeaders(WWWAuthenticateHeader.NAME);
        while (headers.hasNext()) {
            String line = headers.next().toString();
            DigestChallenge challenge = DigestChallenge.parse(line.substring(line.indexOf(':') + 1).trim());
            if (challenge.algorithm().equals(algorithm)) {
                return challenge;
            }
        }
        throw new AssertionError("no " + algorithm + " challenge");
    }

    @Test
    void anInviteWithoutCredentialsIsChallenged401() throws Exception {
        AuthResult result = authenticator.check(invite(""));

        assertThat(result).isInstanceOf(Challenge.class);
        Challenge challenge = (Challenge) result;
        assertThat(challenge.response().getStatusCode()).isEqualTo(401);
        assertThat(challenge.stale()).isFalse();
        assertThat(first(result, "SHA-256").params()).containsEntry("realm", REALM);
    }

    @Test
    void anInviteWithRightCredentialsNamesTheTerminal() throws Exception {
        DigestChallenge challenge = first(authenticator.check(invite("")), "SHA-256");

        AuthResult result = authenticator.check(invite(challenge.authorization("1001", "secret-1001", "INVITE", INVITE_URI, 1, "cn")));

        assertThat(result).isEqualTo(new Authenticated(terminals.get("1001")));
    }

    @Test
    void credentialsComputedForAnotherUriAreRefused() throws Exception {
        DigestChallenge challenge = first(authenticator.check(invite("")), "MD5");

        AuthResult result = authenticator.check(invite(challenge.authorization("1001", "secret-1001", "INVITE", "sip:other@gw.test", 1, "cn")));

        assertThat(result).isEqualTo(new Forbidden(Reason.BAD_CREDENTIALS));
    }

    @Test
    void credentialsForTheRegisterMethodDoNotAuthenticateAnInvite() throws Exception {
        DigestChallenge challenge = first(authenticator.check(invite("")), "MD5");

        AuthResult result = authenticator.check(invite(challenge.authorization("1001", "secret-1001", "REGISTER", INVITE_URI, 1, "cn")));

        assertThat(result).isEqualTo(new Forbidden(Reason.BAD_CREDENTIALS));
    }

    @Test
    void unknownAndDisabledTerminalsAreForbiddenWithTheirReason() throws Exception {
        DigestChallenge challenge = first(authenticator.check(invite("")), "SHA-256");

        assertThat(authenticator.check(invite(challenge.authorization("7777", "x", "INVITE", INVITE_URI, 1, "cn"))))
                .isEqualTo(new Forbidden(Reason.UNKNOWN_TERMINAL));
        assertThat(authenticator.check(invite(challenge.authorization("1002", "secret-1002", "INVITE", INVITE_URI, 1, "cn"))))
                .isEqualTo(new Forbidden(Reason.TERMINAL_DISABLED));
    }

    @Test
    void credentialsForAnotherRealmAreIgnoredAndChallenged() throws Exception {
        String other = "Digest username=\"1001\", realm=\"elsewhere\", nonce=\"n\", uri=\"" + INVITE_URI
                + "\", response=\"00\", algorithm=MD5, qop=auth, nc=00000001, cnonce=\"c\"";

        assertThat(authenticator.check(invite(other))).isInstanceOf(Challenge.class);
    }

    @Test
    void anAlgorithmNotOfferedIsRefused() throws Exception {
        Authenticator md5Only = new Authenticator(RegistrarConfig.defaults(REALM).withDigestAlgorithms(List.of(DigestAlgorithm.MD5)),
                directory, factories, clock);
        DigestChallenge md5 = first(md5Only.check(invite("")), "MD5");
        Map<String, String> asSha = new HashMap<>(md5.params());
        asSha.put("algorithm", "SHA-256");

        AuthResult result = md5Only.check(invite(new DigestChallenge(asSha).authorization("1001", "secret-1001", "INVITE", INVITE_URI, 1, "cn")));

        assertThat(result).isEqualTo(new Forbidden(Reason.BAD_CREDENTIALS));
    }

    @Test
    void aNonceFromBeforeARestartIsStaleForAClientThatKnowsThePassword() throws Exception {
        DigestChallenge old = first(authenticator.check(invite("")), "SHA-256");
        Authenticator restarted = new Authenticator(RegistrarConfig.defaults(REALM), directory, factories, clock);

        AuthResult result = restarted.check(invite(old.authorization("1001", "secret-1001", "INVITE", INVITE_URI, 1, "cn")));

        assertThat(result).isInstanceOf(Challenge.class);
        assertThat(((Challenge) result).stale()).isTrue();
    }

    @Test
    void noncesTellTheirAgeAndRejectTampering() {
        Nonces nonces = new Nonces(REALM, Duration.ofMinutes(5), clock, new SecureRandom());
        String nonce = nonces.issue();

        assertThat(nonces.check(nonce).status()).isEqualTo(Nonces.Status.FRESH);
        char last = nonce.charAt(nonce.length() - 2);
        String tampered = nonce.substring(0, nonce.length() - 2) + (last == 'A' ? 'B' : 'A') + nonce.charAt(nonce.length() - 1);
        assertThat(nonces.check(tampered).status()).isEqualTo(Nonces.Status.NOT_OURS);
        assertThat(nonces.check("not base64 !").status()).isEqualTo(Nonces.Status.NOT_OURS);
        clock.advance(Duration.ofMinutes(5));
        assertThat(nonces.check(nonce).status()).isEqualTo(Nonces.Status.FRESH);
        clock.advance(Duration.ofMillis(1));
        assertThat(nonces.check(nonce).status()).isEqualTo(Nonces.Status.EXPIRED);
    }
}
