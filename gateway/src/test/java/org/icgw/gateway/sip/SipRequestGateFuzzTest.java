package org.icgw.gateway.sip;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.ConsoleWatch;

/**
 * Coverage-guided fuzzing of the path a received datagram takes to a request handler: the stack's
 * parser, the checks the stack makes before its listener, then {@link RequestValidator#check}. In
 * the test run only the seeds under {@code SipRequestGateFuzzTestInputs/} run (valid requests of
 * each method the gateway answers and RFC 4475 torture messages); {@code deploy/fuzz.sh sip-gate}
 * fuzzes.
 *
 * <p>The whole path is {@link #outcome(byte[])}, bytes in and an {@link Outcome} out, with the
 * decoding step ({@link #DECODER}) kept apart so that it can be pointed at another transport's
 * decoder. What may happen: dropped, answered with a status whose reason phrase is the fixed one,
 * or admitted with every header a handler relies on present and consistent. Anything thrown, or
 * written to the console, is a finding.
 */
class SipRequestGateFuzzTest {

    /** What the gate does with one datagram. */
    sealed interface Outcome {
        /** Never reaches a handler and gets no answer from the gate (the stack may answer 400 itself). */
        record Dropped(String why) implements Outcome {
        }

        /** Refused with this response. */
        record Answered(Response response) implements Outcome {
        }

        /** Passed to the handler for its method. */
        record Admitted(Request request) implements Outcome {
        }
    }

    /** What the decoder makes of a datagram: a request for the gate, or why there is none. */
    sealed interface Decoded {
        record AsRequest(SIPRequest request) implements Decoded {
        }

        record Refused(Outcome outcome) implements Decoded {
        }
    }

    /** The methods the running gateway answers: the registrar's, the B2BUA's, and OPTIONS. */
    static final Set<String> ALLOWED = Set.of(Request.REGISTER, Request.INVITE, Request.ACK, Request.CANCEL,
            Request.BYE, Request.INFO, Request.UPDATE, Request.REFER, Request.OPTIONS);
    /** The option tags the gateway supports (the B2BUA's session timer). */
    static final Set<String> SUPPORTED = Set.of("timer");

    private static final SipFactories FACTORIES = SipFactories.create();
    private static final RequestValidator VALIDATOR = new RequestValidator(FACTORIES,
            SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE, ALLOWED, SUPPORTED);

    /** UDPMessageChannel.handleException of the stack in use. */
    private static final ParseExceptionListener STACK_RULE = (e, message, header, line, whole) -> {
        if (header == From.class || header == To.class || header == CSeq.class || header == Via.class
                || header == CallID.class || header == ContentLength.class || header == RequestLine.class
                || header == StatusLine.class) {
            throw e;
        }
        message.addUnparsed(line);
    };

    /**
     * JAIN-SIP's UDP channel: the stack's parser ({@link GuardedMessageParser}) with the channel's
     * rule for a header it cannot read (fatal for the headers a transaction needs, kept aside as
     * unrecognised otherwise), then the channel's own checks before its listener: a keep-alive or
     * a response is not the gate's,
     * and the five mandatory headers must be there (else dropped). The channel's answers to a
     * wrong version and a CSeq method mismatch are the validator's too, which can build them for
     * any request the parser takes (the channel's own threw on a Via whose rport is not a number).
     */
    static final Function<byte[], Decoded> DECODER = datagram -> {
        SIPMessage message;
        try {
            message = new GuardedMessageParser().parseSIPMessage(datagram, true, false, STACK_RULE);
        } catch (ParseException e) {
            return new Decoded.Refused(new Outcome.Dropped("unparseable: " + e.getMessage()));
        }
        if (message == null) {
            return new Decoded.Refused(new Outcome.Dropped("keep-alive"));
        }
        if (!(message instanceof SIPRequest request)) {
            return new Decoded.Refused(new Outcome.Dropped("a response"));
        }
        if (request.getFrom() == null || request.getTo() == null || request.getCallId() == null
                || request.getCSeq() == null || request.getTopmostVia() == null) {
            return new Decoded.Refused(new Outcome.Dropped("a mandatory header is missing"));
        }
        return new Decoded.AsRequest(request);
    };

    /** One datagram through decoder and validator, as the endpoint's listener takes it. */
    static Outcome outcome(byte[] datagram) {
        Decoded decoded = DECODER.apply(datagram);
        if (decoded instanceof Decoded.Refused refused) {
            return refused.outcome();
        }
        SIPRequest request = ((Decoded.AsRequest) decoded).request();
        Optional<Response> refusal = VALIDATOR.check(request, datagram.length);
        if (refusal.isPresent()) {
            return new Outcome.Answered(refusal.get());
        }
        if (request.getMethod().equals(Request.OPTIONS)) {
            return new Outcome.Answered(VALIDATOR.optionsResponse(request));
        }
        return new Outcome.Admitted(request);
    }

    @FuzzTest
    void gate(byte[] datagram) {
        switch (ConsoleWatch.silent(() -> outcome(datagram))) {
            case Outcome.Dropped dropped -> assertThat(dropped.why()).isNotEmpty();
            case Outcome.Answered answered -> checkAnswer(answered.response());
            case Outcome.Admitted admitted -> checkAdmitted((SIPRequest) admitted.request(), datagram.length);
        }
    }

    /** A response the gateway sends: encodable, and its status line is fixed text. */
    private static void checkAnswer(Response response) {
        int status = response.getStatusCode();
        String encoded = response.toString();
        String statusLine = encoded.substring(0, encoded.indexOf("\r\n"));
        assertThat(statusLine).isEqualTo("SIP/2.0 " + status + " " + SIPResponse.getReasonPhrase(status));
        if (status / 100 == 2) {
            assertThat(((SIPResponse) response).getCSeq().getMethod()).isEqualTo(Request.OPTIONS);
        }
    }

    /** What every handler relies on without checking again. */
    private static void checkAdmitted(SIPRequest request, int size) {
        String method = request.getMethod();
        assertThat(ALLOWED).contains(method);
        assertThat(size).isLessThanOrEqualTo(SipEndpointConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertThat(request.getUnrecognizedHeaders().hasNext()).isFalse();
        assertThat(request.getCSeq().getMethod()).isEqualTo(method);
        assertThat(request.getFrom()).isNotNull();
        assertThat(request.getTo()).isNotNull();
        assertThat(request.getCallId().getCallId()).isNotNull();
        assertThat(request.getTopmostVia()).isNotNull();
        assertThat(request.getRequestURI().getScheme().toLowerCase(Locale.ROOT)).isIn("sip", "sips");
        byte[] body = request.getRawContent();
        int declared = request.getContentLength() == null ? 0 : request.getContentLength().getContentLength();
        assertThat(body == null ? 0 : body.length).isEqualTo(declared);
        // Every handler answers with a response copied from the request: the peer must be able to read it.
        Response answer = FACTORIES.response(Response.OK, request);
        SIPMessage reread = reparse(answer.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(reread).isInstanceOf(SIPResponse.class);
        assertThat(((SIPResponse) reread).getCallId().getCallId()).isEqualTo(request.getCallId().getCallId());
        assertThat(((SIPResponse) reread).getCSeq().getSeqNumber()).isEqualTo(request.getCSeq().getSeqNumber());
    }

    private static SIPMessage reparse(byte[] wire) {
        try {
            return new GuardedMessageParser().parseSIPMessage(wire, true, false, STACK_RULE);
        } catch (ParseException e) {
            throw new AssertionError("the answer does not parse: " + e.getMessage() + "\n"
                    + new String(wire, StandardCharsets.UTF_8), e);
        }
    }
}
