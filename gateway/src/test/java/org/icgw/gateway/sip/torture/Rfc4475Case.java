package org.icgw.gateway.sip.torture;

import static org.icgw.gateway.sip.torture.Outcome.silence;
import static org.icgw.gateway.sip.torture.Outcome.status;

import java.util.Locale;

/**
 * The 49 test messages of RFC 4475 ("SIP Torture Test Messages"), each written anew for this
 * project under {@code src/test/resources/torture/rfc4475/<name>.sip} (see the README there), with
 * the RFC's verdict on it and the final answer the gateway must give over UDP and over TCP.
 *
 * <p>A response (unreason, noreason, scalarlg, bigcode, bcast) is never answered. An invalid request
 * never gets a 2xx. Where the RFC lets an element be liberal and the liberal answer is no 2xx (an
 * INVITE challenged instead of refused), both answers are allowed.
 */
public enum Rfc4475Case {
    WSINV("3.1.1.1", Verdict.VALID, status(481)),
    INTMETH("3.1.1.2", Verdict.VALID, status(501)),
    ESC01("3.1.1.3", Verdict.VALID, status(401)),
    ESCNULL("3.1.1.4", Verdict.VALID, status(401)),
    ESC02("3.1.1.5", Verdict.VALID, status(501)),
    LWSDISP("3.1.1.6", Verdict.VALID, status(200)),
    LONGREQ("3.1.1.7", Verdict.VALID, status(401)),
    DBLREQ("3.1.1.8", Verdict.VALID, status(401)),
    SEMIURI("3.1.1.9", Verdict.VALID, status(200)),
    TRANSPORTS("3.1.1.10", Verdict.VALID, status(200)),
    MPART01("3.1.1.11", Verdict.VALID, status(405)),
    UNREASON("3.1.1.12", Verdict.VALID, silence()),
    NOREASON("3.1.1.13", Verdict.VALID, silence()),
    /** Its only Via has no usable value: with nothing to copy into a response, dropping it is right too. */
    BADINV01("3.1.2.1", Verdict.INVALID, status(400).orSilence()),
    /** Over TCP the rest of the body may still be on its way: waiting for it is right too. */
    CLERR("3.1.2.2", Verdict.INVALID, status(400), status(400).orSilence()),
    NCL("3.1.2.3", Verdict.INVALID, status(400)),
    SCALAR02("3.1.2.4", Verdict.INVALID, status(400)),
    SCALARLG("3.1.2.5", Verdict.INVALID, silence()),
    QUOTBAL("3.1.2.6", Verdict.INVALID, status(400)),
    LTGTRURI("3.1.2.7", Verdict.INVALID, status(400)),
    LWSRURI("3.1.2.8", Verdict.INVALID, status(400)),
    LWSSTART("3.1.2.9", Verdict.INVALID, status(400, 401)),
    TRWS("3.1.2.10", Verdict.INVALID, status(400)),
    ESCRURI("3.1.2.11", Verdict.INVALID, status(400, 401)),
    BADDATE("3.1.2.12", Verdict.INVALID, status(400, 401)),
    REGBADCT("3.1.2.13", Verdict.INVALID, status(400, 401)),
    BADASPEC("3.1.2.14", Verdict.INVALID, status(400)),
    BADDN("3.1.2.15", Verdict.INVALID, status(400)),
    BADVERS("3.1.2.16", Verdict.INVALID, status(400, 505)),
    MISMATCH01("3.1.2.17", Verdict.INVALID, status(400)),
    MISMATCH02("3.1.2.18", Verdict.INVALID, status(400, 501)),
    BIGCODE("3.1.2.19", Verdict.INVALID, silence()),
    BADBRANCH("3.2.1", Verdict.EITHER, status(200, 400)),
    INSUF("3.3.1", Verdict.INVALID, status(400)),
    UNKSCM("3.3.2", Verdict.VALID, status(416)),
    NOVELSC("3.3.3", Verdict.VALID, status(416)),
    UNKSM2("3.3.4", Verdict.VALID, status(400, 401)),
    BEXT01("3.3.5", Verdict.VALID, status(420)),
    INVUT("3.3.6", Verdict.VALID, status(401, 415)),
    REGAUT01("3.3.7", Verdict.VALID, status(401)),
    MULTI01("3.3.8", Verdict.INVALID, status(400)),
    MCL01("3.3.9", Verdict.INVALID, status(400)),
    BCAST("3.3.10", Verdict.VALID, silence()),
    ZEROMF("3.3.11", Verdict.VALID, status(200)),
    CPARAM01("3.3.12", Verdict.VALID, status(401)),
    CPARAM02("3.3.13", Verdict.VALID, status(401)),
    REGESCRT("3.3.14", Verdict.VALID, status(401)),
    SDP01("3.3.15", Verdict.VALID, status(400, 401, 406)),
    /** Without Content-Length a stream cannot be framed (RFC 3261 §18.3): refusing it is right too. */
    INV2543("3.4.1", Verdict.VALID, status(401), status(400, 401));

    /** How RFC 4475 judges a message. */
    public enum Verdict {
        VALID, INVALID,
        /** The RFC allows rejecting it with 400 or processing it (badbranch). */
        EITHER;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String section;
    private final Verdict verdict;
    private final Outcome udp;
    private final Outcome tcp;

    Rfc4475Case(String section, Verdict verdict, Outcome both) {
        this(section, verdict, both, both);
    }

    Rfc4475Case(String section, Verdict verdict, Outcome udp, Outcome tcp) {
        if (verdict == Verdict.INVALID && (udp.statuses().stream().anyMatch(s -> s < 300)
                || tcp.statuses().stream().anyMatch(s -> s < 300))) {
            throw new IllegalArgumentException(name() + ": an invalid message never gets a 2xx");
        }
        this.section = section;
        this.verdict = verdict;
        this.udp = udp;
        this.tcp = tcp;
    }

    /** The RFC's short name, which is also the file name without {@code .sip}. */
    public String shortName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The section of RFC 4475 that describes the message. */
    public String section() {
        return section;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** What the gateway must answer over {@code transport} ({@code UDP} or {@code TCP}). */
    public Outcome outcome(String transport) {
        return switch (transport) {
            case "UDP" -> udp;
            case "TCP" -> tcp;
            default -> throw new IllegalArgumentException("transport: " + transport);
        };
    }
}
