package org.icgw.gateway.sip.registrar;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import javax.sip.InvalidArgumentException;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.sip.InboundRequest;
import org.icgw.gateway.sip.SipFactories;
import org.icgw.gateway.sip.SipRequestHandler;
import org.icgw.gateway.sip.registrar.AuthResult.Authenticated;
import org.icgw.gateway.sip.registrar.AuthResult.Challenge;
import org.icgw.gateway.sip.registrar.AuthResult.Forbidden;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REGISTER handler (RFC 3261 §10.3): authenticates the terminal, then adds, refreshes,
 * removes or lists its bindings.
 *
 * <pre>
 *   Authenticator: Challenge ─► 401 · Forbidden ─► 403
 *   To user is not the authenticated username                     ─► 403
 *   Contact "*" with other contacts or Expires not 0              ─► 400
 *   a Contact URI longer than MAX_CONTACT_URI_LENGTH               ─► 400 (nothing changed)
 *   any contact asking 0 &lt; expires &lt; min                          ─► 423 Min-Expires (nothing changed)
 *   otherwise: expires 0 removes, "*" removes all, others bind for min(asked, max)
 *              ─► 200 listing every live binding with its remaining expires
 * </pre>
 *
 * <p>A terminal holds at most {@link RegistrarConfig#maxContacts()} bindings: a new contact beyond
 * them replaces the least recently refreshed one, the phone that registers last wins. With the
 * contact length bounded too, the 200 OK that lists them stays far below the 65,507 bytes a UDP
 * datagram can carry (issue 10: 1,300 REGISTERs once grew it to 65,505 bytes, and the real phone's
 * REGISTERs went unanswered).
 */
public final class Registrar implements SipRequestHandler {

    private static final Logger log = LoggerFactory.getLogger(Registrar.class);

    /**
     * The longest Contact URI bound, in characters. A phone's is under 150 (user, address, port,
     * transport, {@code ob}, an instance tag); with {@link RegistrarConfig#MAX_CONTACTS_LIMIT}
     * contacts at this length a 200 OK stays near 11 kB, at the default 5 near 3 kB.
     */
    public static final int MAX_CONTACT_URI_LENGTH = 512;

    private final RegistrarConfig config;
    private final Authenticator authenticator;
    private final Registrations registrations;
    private final InstantSource clock;

    public Registrar(RegistrarConfig config, Authenticator authenticator, Registrations registrations, InstantSource clock) {
        this.config = config;
        this.authenticator = authenticator;
        this.registrations = registrations;
        this.clock = clock;
    }

    @Override
    public void handle(InboundRequest inbound) {
        switch (authenticator.check(inbound.request())) {
            case Challenge challenge -> inbound.respond(challenge.response());
            case Forbidden forbidden -> inbound.respond(Response.FORBIDDEN);
            case Authenticated authenticated -> register(inbound, authenticated.terminal());
        }
    }

    private void register(InboundRequest inbound, TerminalCredentials terminal) {
        Request request = inbound.request();
        URI aor = ((ToHeader) request.getHeader(ToHeader.NAME)).getAddress().getURI();
        if (!(aor instanceof SipURI sipAor) || !terminal.username().equals(sipAor.getUser())) {
            log.info("terminal '{}' tried to register AOR {}", terminal.username(), aor);
            inbound.respond(Response.FORBIDDEN);
            return;
        }
        ExpiresHeader expiresHeader = request.getExpires();
        List<ContactHeader> contacts = contactsOf(request);
        boolean wildcard = contacts.stream().anyMatch(ContactHeader::isWildCard);
        if (wildcard && (contacts.size() != 1 || expiresHeader == null || expiresHeader.getExpires() != 0)) {
            inbound.respond(Response.BAD_REQUEST);
            return;
        }

        List<Change> changes = new ArrayList<>();
        for (ContactHeader contact : contacts) {
            if (contact.isWildCard()) {
                continue;
            }
            int asked = contact.getExpires() >= 0 ? contact.getExpires()
                    : expiresHeader != null ? expiresHeader.getExpires() : config.defaultExpires();
            if (asked > 0 && asked < config.minExpires()) {
                inbound.respond(intervalTooBrief(inbound));
                return;
            }
            String uri = contact.getAddress().getURI().toString();
            if (uri.length() > MAX_CONTACT_URI_LENGTH) {
                log.info("terminal '{}' refused 400: a Contact URI of {} characters, more than {}", terminal.username(),
                        uri.length(), MAX_CONTACT_URI_LENGTH);
                inbound.respond(Response.BAD_REQUEST);
                return;
            }
            changes.add(new Change(uri, Math.min(asked, config.maxExpires())));
        }

        Instant now = clock.instant();
        if (wildcard) {
            registrations.removeAll(terminal.username());
        }
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        long cseq = ((CSeqHeader) request.getHeader(CSeqHeader.NAME)).getSeqNumber();
        for (Change change : changes) {
            if (change.expires() == 0) {
                registrations.remove(terminal.username(), change.contact());
            } else {
                int replaced = registrations.put(new Binding(terminal.username(), terminal.terminalId(),
                        terminal.facilityId(), change.contact(), inbound.source(), inbound.transport(), now,
                        now.plusSeconds(change.expires()), callId, cseq), config.maxContacts());
                if (replaced > 0) {
                    log.debug("terminal '{}' at its {} contacts: the oldest replaced", terminal.username(),
                            config.maxContacts());
                }
            }
        }
        log.debug("terminal '{}' registered from {} {}: {}", terminal.username(), inbound.transport(), inbound.source(), changes);
        OptionalInt granted = changes.stream().mapToInt(Change::expires).filter(e -> e > 0).findFirst();
        inbound.respond(ok(inbound, terminal.username(), now, granted));
    }

    private Response ok(InboundRequest inbound, String username, Instant now, OptionalInt granted) {
        SipFactories factories = inbound.factories();
        Response response = inbound.response(Response.OK);
        try {
            for (Binding binding : registrations.bindings(username)) {
                ContactHeader contact = factories.headers().createContactHeader(
                        factories.addresses().createAddress(binding.contact()));
                contact.setExpires((int) Math.max(1, Duration.between(now, binding.expiresAt()).toSeconds()));
                response.addHeader(contact);
            }
            if (granted.isPresent()) {
                response.setHeader(factories.headers().createExpiresHeader(granted.getAsInt()));
            }
        } catch (ParseException | InvalidArgumentException e) {
            throw new IllegalStateException("stored contacts were parsed from requests", e);
        }
        return response;
    }

    private Response intervalTooBrief(InboundRequest inbound) {
        Response response = inbound.response(Response.INTERVAL_TOO_BRIEF);
        try {
            response.setHeader(inbound.factories().headers().createMinExpiresHeader(config.minExpires()));
        } catch (InvalidArgumentException e) {
            throw new IllegalStateException("min expires is validated positive", e);
        }
        return response;
    }

    private static List<ContactHeader> contactsOf(Request request) {
        List<ContactHeader> contacts = new ArrayList<>();
        Iterator<?> it = request.getHeaders(ContactHeader.NAME);
        while (it.hasNext()) {
            contacts.add((ContactHeader) it.next());
        }
        return contacts;
    }

    /** A contact of the request and the expiry granted to it (0 removes). */
    private record Change(String contact, int expires) {
    }
}
