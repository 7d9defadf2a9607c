package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sip.message.Request;
import org.icgw.gateway.sip.SipFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3261 §9.2: a CANCEL matches its INVITE on every field, one field at a time wrong. */
class TransactionMatchTest {

    static final SipFactories SIP = SipFactories.create();
    static final String INVITE = """
            INVITE sip:5735550123@127.0.0.1:5070 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKinvite1;rport\r
            Max-Forwards: 70\r
            From: <sip:pod-1@127.0.0.1>;tag=phone1\r
            To: <sip:5735550123@127.0.0.1>\r
            Call-ID: call-1@terminal\r
            CSeq: 4 INVITE\r
            Contact: <sip:pod-1@127.0.0.1:40000>\r
            Content-Length: 0\r
            \r
            """;
    static final String CANCEL = """
            CANCEL sip:5735550123@127.0.0.1:5070 SIP/2.0\r
            Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKinvite1;rport\r
            Max-Forwards: 70\r
            From: <sip:pod-1@127.0.0.1>;tag=phone1\r
            To: <sip:5735550123@127.0.0.1>\r
            Call-ID: call-1@terminal\r
            CSeq: 4 CANCEL\r
            Content-Length: 0\r
            \r
            """;

    static Request parse(String text) throws Exception {
        return SIP.messages().createRequest(text);
    }

    @Test
    void theCancelOfTheInviteMatchesItsTransaction() throws Exception {
        assertThat(TransactionMatch.sameTransaction(parse(INVITE), parse(CANCEL))).isTrue();
        assertThat(TransactionMatch.sameTransaction(parse(INVITE), parse(INVITE))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Call-ID|Call-ID: call-1@terminal|Call-ID: call-2@terminal",
            "From tag|tag=phone1|tag=phone2",
            "From tag missing|;tag=phone1|",
            "To tag added|To: <sip:5735550123@127.0.0.1>|To: <sip:5735550123@127.0.0.1>;tag=gw1",
            "Request-URI|CANCEL sip:5735550123@|CANCEL sip:5735550124@",
            "CSeq number|CSeq: 4 CANCEL|CSeq: 5 CANCEL",
            "Via branch|branch=z9hG4bKinvite1|branch=z9hG4bKinvite2",
            "Via sent-by host|UDP 127.0.0.1:40000|UDP 127.0.0.2:40000",
            "Via sent-by port|UDP 127.0.0.1:40000|UDP 127.0.0.1:40001",
            "Via transport|SIP/2.0/UDP 127.0.0.1:40000|SIP/2.0/TCP 127.0.0.1:40000"})
    void aCancelDifferingInOneFieldMatchesNothing(String field, String right, String wrong) throws Exception {
        String cancel = CANCEL.replace(right, wrong == null ? "" : wrong);
        assertThat(cancel).as(field).isNotEqualTo(CANCEL);
        assertThat(TransactionMatch.sameTransaction(parse(INVITE), parse(cancel))).as(field).isFalse();
    }

    @Test
    void tagsCompareWithoutCaseAndAnAbsentTagOnlyEqualsAnother() {
        assertThat(TransactionMatch.sameTag("a1B2", "A1b2")).isTrue();
        assertThat(TransactionMatch.sameTag(null, null)).isTrue();
        assertThat(TransactionMatch.sameTag("a1", null)).isFalse();
        assertThat(TransactionMatch.sameTag(null, "a1")).isFalse();
    }
}
