package org.icgw.gateway.sip.torture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.icgw.gateway.sip.torture.SipMutator.Anomaly;
import org.icgw.gateway.sip.torture.SipMutator.Base;
import org.icgw.gateway.sip.torture.SipMutator.Mutant;
import org.icgw.gateway.sip.torture.SipMutator.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The generator is deterministic, bounded, marks every variant, and knows which ones it broke. */
class SipMutatorTest {

    private static final String MARKER = "MkTest0123abcd";
    private static final Target TARGET = new Target("127.0.0.1", 5999, "UDP", "127.0.0.1", 40000);
    /** The largest UDP payload over IPv4: every variant must fit one datagram. */
    private static final int MAX_DATAGRAM = 65_507;

    private static final SipMutator MUTATOR = new SipMutator(4475, MARKER);
    private static final List<Mutant> CYCLE = MUTATOR.mutants(SipMutator.RECIPES_PER_CYCLE, TARGET);

    @Test
    void sameSeedSameBytesOtherSeedOtherOrder() {
        List<Mutant> again = new SipMutator(4475, MARKER).mutants(SipMutator.RECIPES_PER_CYCLE, TARGET);
        for (int i = 0; i < CYCLE.size(); i++) {
            assertThat(again.get(i).bytes()).as("variant %d", i).isEqualTo(CYCLE.get(i).bytes());
        }
        List<Mutant> other = new SipMutator(4476, MARKER).mutants(100, TARGET);
        assertThat(other.stream().map(Mutant::toString).toList())
                .isNotEqualTo(CYCLE.subList(0, 100).stream().map(Mutant::toString).toList());
    }

    @Test
    void everyVariantFitsADatagramAndCarriesTheMarkerAndItsId() {
        for (Mutant m : CYCLE) {
            String text = new String(m.bytes(), StandardCharsets.ISO_8859_1);
            assertThat(m.bytes().length).as(m.toString()).isPositive().isLessThanOrEqualTo(MAX_DATAGRAM);
            assertThat(text).as(m.toString()).contains(MARKER);
            // A cut may fall before the first id; noise in place of the message has none.
            if (m.anomaly() != Anomaly.TRUNCATION && !(m.anomaly() == Anomaly.BINARY_NOISE
                    && m.target().equals("whole message"))) {
                assertThat(SipMutator.idIn(text)).as(m.toString()).isEqualTo(m.index());
            }
        }
    }

    @Test
    void aCycleCoversEveryBaseAndAnomalyWithBrokenAndStillValidVariants() {
        assertThat(CYCLE).hasSize(4_000);
        assertThat(CYCLE.stream().map(Mutant::base).collect(Collectors.toSet())).isEqualTo(EnumSet.allOf(Base.class));
        assertThat(CYCLE.stream().map(Mutant::anomaly).collect(Collectors.toSet())).isEqualTo(EnumSet.allOf(Anomaly.class));
        long broken = CYCLE.stream().filter(Mutant::broken).count();
        assertThat(broken).isBetween(2_000L, 3_900L);
        Set<String> missingBroken = CYCLE.stream().filter(m -> m.anomaly() == Anomaly.MISSING_HEADER && m.broken())
                .map(Mutant::target).collect(Collectors.toSet());
        assertThat(missingBroken).contains("Via", "From", "To", "Call-ID", "CSeq").doesNotContain("Max-Forwards", "Subject");
    }

    @Test
    void beyondOneCycleTheRecipesRepeatWithOtherDraws() {
        Mutant first = MUTATOR.mutant(7, TARGET);
        Mutant repeat = MUTATOR.mutant(7 + SipMutator.RECIPES_PER_CYCLE, TARGET);
        assertThat(repeat.anomaly()).isEqualTo(first.anomaly());
        assertThat(repeat.target()).isEqualTo(first.target());
        assertThat(repeat.bytes()).isNotEqualTo(first.bytes());
    }

    @Test
    void theValidBaseIsAWellFormedRequest() {
        String options = new String(MUTATOR.valid(Base.OPTIONS, 12, TARGET), StandardCharsets.ISO_8859_1);
        assertThat(options).isEqualTo("OPTIONS sip:gw-" + MARKER + "@127.0.0.1:5999 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKvid000012;rport\r\n"
                + "Subject: " + MARKER + " vid000012\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: \"Visitor\" <sip:visitor@example.org>;tag=vid000012\r\n"
                + "To: <sip:gw@127.0.0.1>\r\n"
                + "Call-ID: vid000012-" + MARKER + "@torture.example.org\r\n"
                + "CSeq: 13 OPTIONS\r\n"
                + "Contact: <sip:visitor@127.0.0.1:40000>\r\n"
                + "Content-Length: 0\r\n\r\n");
        String invite = new String(MUTATOR.valid(Base.INVITE, 3, TARGET), StandardCharsets.ISO_8859_1);
        String body = invite.substring(invite.indexOf("\r\n\r\n") + 4);
        assertThat(invite).contains("Content-Type: application/sdp\r\nContent-Length: " + body.length() + "\r\n\r\nv=0");
    }

    /** Each break against RFC 3261's grammar, at the edge between still valid and broken. */
    @ParameterizedTest(name = "{0} {1} {2} [{3}] broken={4}")
    @CsvSource(delimiter = '|', value = {
        "OPTIONS | INTEGER | CSEQ_NUMBER | 2^31 | false",
        "OPTIONS | INTEGER | CSEQ_NUMBER | 2^32 | true",
        "OPTIONS | INTEGER | CSEQ_NUMBER | -1 | true",
        "OPTIONS | INTEGER | VIA_PORT | 0 | false",
        "OPTIONS | INTEGER | VIA_PORT | 65536 | true",
        "OPTIONS | ESCAPE | REQUEST_USER | %00 | false",
        "OPTIONS | ESCAPE | REQUEST_USER | %G1 | true",
        "OPTIONS | SEPARATOR_CHARS | REQUEST_USER | ?&= | false",
        "OPTIONS | SEPARATOR_CHARS | REQUEST_USER | @@@ | true",
        "OPTIONS | FORMAT_STRING | CALL_ID | %s%n | false",
        "OPTIONS | SEPARATOR_CHARS | CALL_ID | ?&= | true",
        "OPTIONS | OVERFLOW | FROM_DISPLAY | a x128 | false",
        "OPTIONS | SEPARATOR_CHARS | FROM_DISPLAY | quote | true",
        "OPTIONS | NON_ASCII | SUBJECT | UTF-8 text | false",
        "OPTIONS | BAD_UTF8 | SUBJECT | FF FE | true",
        "OPTIONS | NUL | SUBJECT | NUL x16 | true",
        "OPTIONS | FORMAT_STRING | VIA_BRANCH | %s%n | false",
        "OPTIONS | NON_ASCII | VIA_BRANCH | UTF-8 text | true",
        "OPTIONS | OVERFLOW | VIA_HOST | a x128 | false",
        "OPTIONS | FORMAT_STRING | VIA_HOST | %x | true",
        "OPTIONS | INTEGER | MAX_FORWARDS | 9 x40 | false",
        "OPTIONS | INTEGER | MAX_FORWARDS | -1 | true",
        "OPTIONS | VERSION | VERSION | sip/2.0 | false",
        "OPTIONS | VERSION | VERSION | SIP/2.1 | true",
        "OPTIONS | OVERFLOW | CSEQ_METHOD | a x128 | true",
        "OPTIONS | OVERFLOW | METHOD | a x128 | false",
        "OPTIONS | CRLF_INJECTION | TO_USER | CRLF CSeq | true",
        "INVITE | CONTENT_LENGTH | CONTENT_LENGTH | -1 of the body | false",
        "INVITE | CONTENT_LENGTH | CONTENT_LENGTH | +1 | true",
        "INVITE | NUL | BODY | NUL x1024 | false",
        "OPTIONS | BAD_SEPARATOR | no colon CSeq | '' | true",
        "OPTIONS | BAD_SEPARATOR | space before colon | '' | false",
        "OPTIONS | MISSING_HEADER | CSeq | '' | true",
        "OPTIONS | MISSING_HEADER | Max-Forwards | '' | false",
        "OPTIONS | DUPLICATE_HEADER | CSeq | '' | true",
        "OPTIONS | DUPLICATE_HEADER | Via | '' | false",
        "OPTIONS | START_LINE | trailing spaces | '' | true",
        "OPTIONS | START_LINE | leading CRLF | '' | false",
        "OPTIONS | LINE_ENDINGS | CR | '' | true",
        "OPTIONS | LINE_ENDINGS | LF | '' | false",
        "OPTIONS | BINARY_NOISE | inserted | '' | true",
        "OPTIONS | BINARY_NOISE | appended | '' | false",
    })
    void knowsWhatItBroke(Base base, Anomaly anomaly, String target, String payload, boolean broken) {
        assertThat(MUTATOR.recipe(base, anomaly, target, payload, 1, TARGET).broken()).isEqualTo(broken);
    }

    @Test
    void aTruncationIsBrokenExactlyWhenItLosesWhatTheGrammarNeeds() {
        for (Mutant m : MUTATOR.mutants(3 * SipMutator.RECIPES_PER_CYCLE, TARGET)) {
            if (m.anomaly() != Anomaly.TRUNCATION) {
                continue;
            }
            String kept = new String(m.bytes(), StandardCharsets.ISO_8859_1);
            boolean lostMandatory = !kept.contains("\r\nCSeq: ") || !kept.contains("\r\nCall-ID: ")
                    || !kept.contains("\r\nTo: ") || !kept.contains("\r\nFrom: ");
            if (lostMandatory || !kept.contains("\r\n")) {
                assertThat(m.broken()).as(m.toString()).isTrue();
            }
        }
    }
}
