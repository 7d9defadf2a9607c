package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Optional;
import javax.sip.message.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Requests the parser takes but no response could be built for or read back: 400, not an exception. */
class RequestValidatorTest {

    private static final RequestValidator VALIDATOR = new RequestValidator(SipFactories.create(),
            SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE, SipRequestGateFuzzTest.ALLOWED, SipRequestGateFuzzTest.SUPPORTED);

    private static SIPRequest parse(String via, String to) throws ParseException {
        String text = "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-top\r\n"
                + "Via: " + via + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:1001@127.0.0.1>;tag=f1\r\n"
                + "To: " + to + "\r\n"
                + "Call-ID: validator@127.0.0.1\r\n"
                + "CSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n";
        return (SIPRequest) new StringMsgParser().parseSIPMessage(text.getBytes(StandardCharsets.UTF_8), true, false,
                null);
    }

    /** RFC 4475 §3.1.2.16 (badvers): another version than SIP/2.0 is answered 505. */
    @Test
    void unknownVersionIs505() throws ParseException {
        SIPRequest request = parse("SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-2", "<sip:127.0.0.1>");
        request.getRequestLine().setSipVersion("SIP/7.0");

        assertThat(VALIDATOR.check(request, 300).map(Response::getStatusCode)).contains(505);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-2;rport=abc   | <sip:127.0.0.1>                      | 400
            SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-2;rport=65536 | <sip:127.0.0.1>                      | 400
            SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-2;rport=65535 | <sip:127.0.0.1>                      | 0
            SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-2;rport       | <sip:127.0.0.1>                      | 0
            SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK-2             | <s\u00e9ip:null-%00-null@example.com> | 400
            """)
    void refusedWithABuildableResponse(String via, String to, int status) throws ParseException {
        SIPRequest request = parse(via, to);

        Optional<Response> refusal = VALIDATOR.check(request, 300);

        assertThat(refusal.map(Response::getStatusCode).orElse(0)).isEqualTo(status);
        refusal.ifPresent(r -> assertThat(r.toString()).startsWith("SIP/2.0 400 Bad request\r\n"));
    }
}
