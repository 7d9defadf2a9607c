package org.icgw.gateway.sip.registrar;

import gov.nist.javax.sip.message.SIPMessage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import javax.sip.address.URI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.security.RateLimitedLog;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.registrar.AuthResult.Authenticated;
import org.icgw.gateway.sip.registrar.AuthResult.Challenge;
import org.icgw.gateway.sip.registrar.AuthResult.Forbidden;
import org.icgw.gateway.sip.registrar.AuthResult.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Digest authentication of terminals as a user-agent server (RFC 3261 §22.4 with RFC 8760's
 * SHA-256, {@code qop=auth} only). Used by the registrar and by any handler that must know which
 * terminal sent a request (INVITE):
 *
 * <pre>
 *   no credentials for our realm                  ─► Challenge (401)
 *   unknown username                              ─► Forbidden UNKNOWN_TERMINAL
 *   disabled terminal                             ─► Forbidden TERMINAL_DISABLED
 *   wrong response, algorithm, qop, uri, realm    ─► Forbidden BAD_CREDENTIALS
 *   right response, nonce expired or not ours     ─► Challenge stale=true
 *   right response, nc not above the last seen    ─► Challenge stale=true (a replay)
 *   right response, fresh nonce, new nc           ─► Authenticated
 * </pre>
 *
 * The response is checked before the nonce's age, so {@code stale=true} tells only a client that
 * knows the password to retry with the new nonce (RFC 7616 §3.3).
 *
 * <p>Enumeration: an unknown username, a disabled terminal and a wrong password all end as the same
 * 403 after the same 401, and an unknown or disabled one still computes a digest against a dummy
 * password, so neither the answers nor their timing tell a provisioned username from another.
 * Every refusal is reported to the {@link AuthFailureListener} with the packet's source address.
 * Thread-safe.
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
    private static final String QOP_AUTH = "auth";
    /** Longest username looked up: longer ones are refused without touching the directory. */
    static final int MAX_USERNAME_LENGTH = 64;
    /** The password unknown and disabled terminals are checked against, to cost the same time. */
    private static final String DUMMY_PASSWORD = "icgw-no-such-terminal";

    private final RegistrarConfig config;
    private final TerminalDirectory directory;
    private final SipFactories factories;
    private final Nonces nonces;
    private final NonceCounts counts;
    private final AuthFailureListener failures;

    public Authenticator(RegistrarConfig config, TerminalDirectory directory, SipFactories factories, InstantSource clock) {
        this(config, directory, factories, clock, AuthFailureListener.NONE);
    }

    /** @param failures hears every refused authentication (abuse control, security events) */
    public Authenticator(RegistrarConfig config, TerminalDirectory directory, SipFactories factories, InstantSource clock,
            AuthFailureListener failures) {
        this.failures = failures;
        this.config = config;
        this.directory = directory;
        this.factories = factories;
        this.nonces = new Nonces(config.realm(), config.nonceLifetime(), clock, new SecureRandom());
        this.counts = new NonceCounts(config.nonceLifetime(), clock);
    }

    /** The realm challenges name. */
    public String realm() {
        return config.realm();
    }

    /** Checks the request's credentials; see the class comment for the outcomes. */
    public AuthResult check(Request request) {
        Optional<AuthorizationHeader> found = credentialsFor(request);
        if (found.isEmpty()) {
            return challenge(request, false);
        }
        AuthorizationHeader auth = found.get();
        String username = auth.getUsername();
        if (username == null || username.isEmpty() || username.length() > MAX_USERNAME_LENGTH) {
            return refuse(request, username, Reason.BAD_CREDENTIALS);
        }
        Optional<TerminalCredentials> terminal = directory.byUsername(username);
        Optional<DigestAlgorithm> algorithm = DigestAlgorithm.fromToken(auth.getAlgorithm())
                .filter(config.digestAlgorithms()::contains);
        String nonce = auth.getParameter("nonce");
        String uri = auth.getParameter("uri");
        String response = auth.getParameter("response");
        String nc = auth.getParameter("nc");
        String cnonce = auth.getParameter("cnonce");
        String qop = auth.getParameter("qop");
        if (algorithm.isEmpty() || nonce == null || uri == null || response == null || cnonce == null
                || nc == null || !nc.matches("[0-9a-fA-F]{8}") || qop == null || !QOP_AUTH.equalsIgnoreCase(qop)
                || !sameUri(uri, request.getRequestURI())) {
            return refuse(request, username, terminal.isEmpty() ? Reason.UNKNOWN_TERMINAL : Reason.BAD_CREDENTIALS);
        }
        boolean usable = terminal.isPresent() && terminal.get().enabled();
        String password = usable ? terminal.get().password() : DUMMY_PASSWORD;
        String expected = algorithm.get().response(username, config.realm(), password,
                request.getMethod(), uri, nonce, nc, cnonce, qop);
        boolean matches = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                response.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (terminal.isEmpty()) {
            return refuse(request, username, Reason.UNKNOWN_TERMINAL);
        }
        if (!terminal.get().enabled()) {
            return refuse(request, username, Reason.TERMINAL_DISABLED);
        }
        if (!matches) {
            return refuse(request, username, Reason.BAD_CREDENTIALS);
        }
        Nonces.Check check = nonces.check(nonce);
        if (check.status() != Nonces.Status.FRESH) {
            return challenge(request, true);
        }
        if (!counts.advance(nonce, check.issuedAtMillis(), Long.parseLong(nc, 16))) {
            log.info("{} from '{}' replayed nc {} of a nonce: challenged again", request.getMethod(),
                    RateLimitedLog.sanitize(username, MAX_USERNAME_LENGTH), nc);
            return challenge(request, true);
        }
        return new Authenticated(terminal.get());
    }

    private Forbidden refuse(Request request, String username, Reason reason) {
        InetAddress source = request instanceof SIPMessage message ? message.getRemoteAddress() : null;
        failures.failed(source, request.getMethod(), username, reason);
        return new Forbidden(reason);
    }

    /** The Authorization header for our realm (a request may carry one per realm, RFC 3261 §22.4). */
    private Optional<AuthorizationHeader> credentialsFor(Request request) {
        Iterator<?> headers = request.getHeaders(AuthorizationHeader.NAME);
        while (headers.hasNext()) {
            AuthorizationHeader header = (AuthorizationHeader) headers.next();
            if ("Digest".equalsIgnoreCase(header.getScheme()) && config.realm().equals(header.getRealm())) {
                return Optional.of(header);
            }
        }
        return Optional.empty();
    }

    private boolean sameUri(String digestUri, URI requestUri) {
        try {
            return factories.addresses().createURI(digestUri).equals(requestUri);
        } catch (ParseException e) {
            return false;
        }
    }

    private Challenge challenge(Request request, boolean stale) {
        Response response = factories.response(Response.UNAUTHORIZED, request);
        String nonce = nonces.issue();
        try {
            for (DigestAlgorithm algorithm : config.digestAlgorithms()) {
                WWWAuthenticateHeader header = factories.headers().createWWWAuthenticateHeader("Digest");
                header.setRealm(config.realm());
                header.setNonce(nonce);
                header.setAlgorithm(algorithm.token());
                header.setQop(QOP_AUTH);
                if (stale) {
                    header.setStale(true);
                }
                response.addHeader(header);
            }
        } catch (ParseException e) {
            throw new IllegalStateException("realm and nonce are validated tokens", e);
        }
        return new Challenge(response, stale);
    }
}
