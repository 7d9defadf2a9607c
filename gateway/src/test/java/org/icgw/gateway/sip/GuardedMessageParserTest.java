package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The guards in front of the stack's parser: a Via with a comment (on which JAIN-SIP's Via parser
 * can loop forever) is refused before parsing, on the wire too.
 */
class GuardedMessageParserTest {

    private static final Duration WAIT = Duration.ofSeconds(3);
    /** More than the stack's UDP threads (THREAD_POOL_SIZE 4): unguarded, these would hold them all. */
    private static final int POISONED_DATAGRAMS = 8;

    private static String options(String via, String after) {
        return "OPTIONS sip:127.0.0.1 SIP/2.0\r\n" + via + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:1001@127.0.0.1>;tag=g1\r\nTo: <sip:127.0.0.1>\r\n"
                + "Call-ID: guard@127.0.0.1\r\nCSeq: 1 OPTIONS\r\n" + after + "Content-Length: 0\r\n\r\n";
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1 (comment\\  | true
            via  : SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1 (x\\     | true
            v: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1 (\\         | true
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1 (comment)   | true
            Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1             | false
            """)
    void viaWithACommentIsRefused(String via, boolean refused) {
        byte[] message = options(via, "").getBytes(StandardCharsets.UTF_8);

        assertThat(GuardedMessageParser.viaComment(message) >= 0).isEqualTo(refused);
    }

    @Test
    void aFoldedViaIsReadToItsEnd() {
        String folded = options("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1\r\n (\\", "");

        assertThat(GuardedMessageParser.viaComment(folded.getBytes(StandardCharsets.UTF_8))).isPositive();
    }

    @Test
    void parenthesesElsewhereAreNotTheGuardsConcern() {
        String otherHeader = options("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1", "Server: icgw (linux)\r\n");
        String inBody = options("Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1", "")
                .replace("Content-Length: 0\r\n\r\n", "Content-Length: 6\r\n\r\nVia: (");

        assertThat(GuardedMessageParser.viaComment(otherHeader.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(GuardedMessageParser.viaComment(inBody.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    @Timeout(10)
    void theParserRefusesWithAFixedMessage() {
        byte[] poisoned = options("Via: SIP/2.0/UDP 127.0.0.1:5070 (\\", "").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> new GuardedMessageParser().parseSIPMessage(poisoned, true, false, null))
                .isInstanceOf(ParseException.class).hasMessage("Via has a comment");
    }

    /** The endpoint over real sockets: after the poisoned datagrams, UDP and TCP still answer. */
    @Test
    void poisonedViaHoldsNoStackThread() throws Exception {
        int port = FreePorts.udpAndTcp();
        try (SipEndpoint endpoint = SipEndpoint.builder(SipEndpointConfig.defaults("127.0.0.1").withPort(port)).build()) {
            endpoint.start();
            try (RawSipClient poisoner = RawSipClient.udp(port); RawSipClient c = RawSipClient.udp(port)) {
                for (int i = 0; i < POISONED_DATAGRAMS; i++) {
                    poisoner.send(options("Via: " + poisoner.via() + " (\\", ""));
                }
                c.send(SipText.request(c, "OPTIONS", port));
                assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
            }
            try (RawSipClient c = RawSipClient.tcp(port)) {
                c.send(options("Via: " + c.via() + " (\\", ""));
            }
            try (RawSipClient c = RawSipClient.tcp(port)) {
                c.send(SipText.request(c, "OPTIONS", port));
                assertThat(RawSipClient.statusOf(c.receiveFinal(WAIT).orElseThrow())).isEqualTo(200);
            }
        }
    }
}
