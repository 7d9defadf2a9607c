package org.icgw.gateway.sip.transport;

import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.CallID;
import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.From;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.RetryAfter;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.To;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.net.InetSocketAddress;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.sip.InvalidArgumentException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.icgw.gateway.security.SecurityEvent;
import org.icgw.gateway.sip.SipFactories;

/**
 * Turns the bytes of one datagram or one stream frame into a message for the stack, or into a
 * refusal with a ready answer. Parsing is JAIN-SIP's ({@code StringMsgParser} through the stack's
 * {@link MessageParserFactory}); the checks around it are ours:
 * <ul>
 *   <li>a header section beyond the size limit is not parsed at all; at most
 *       {@link #MAX_UNREADABLE_HEADERS} unreadable header lines are tolerated before the message is
 *       given up (each costs the parser a copy of the message);
 *   <li>Via, From, To, Call-ID and CSeq must be present and readable, the top Via's port 1-65535;
 *   <li>Content-Length must not promise more than came (UDP; extra bytes are cut off, RFC 3261
 *       §18.3) and must match the frame (TCP, where {@link SipFrameDecoder} required it);
 *   <li>a message larger than {@code maxMessageSize} is refused with 513 when its headers can be read.
 * </ul>
 * A refused request other than ACK whose Via, From, To, Call-ID and CSeq could be read is answered
 * with a fixed reason phrase and no body; anything else is dropped. A request that passes gets
 * {@code received} and {@code rport} (RFC 3581) set on its top Via from the packet's source, and
 * loses any {@code maddr}, so the stack's response routing can only lead back to where it came from.
 */
final class SipMessageReader {

    /** Unreadable non-essential header lines tolerated in one message (each is kept for a 400 later). */
    static final int MAX_UNREADABLE_HEADERS = 8;

    /** Fixed reason phrases: never text from an exception or the message. */
    private static final Map<Integer, String> REASONS = Map.of(
            Response.BAD_REQUEST, "Bad Request",
            Response.SERVICE_UNAVAILABLE, "Service Unavailable",
            Response.MESSAGE_TOO_LARGE, "Message Too Large",
            Response.VERSION_NOT_SUPPORTED, "Version Not Supported");
    /** The branch prefix of RFC 3261 §8.1.1.7. */
    private static final String RFC3261_COOKIE = "z9hG4bK";
    /** Retry-After of a 503 to a source over its rate (RFC 3261 §21.5.4). */
    private static final int RETRY_AFTER_SECONDS = 5;

    /** Headers whose failure makes a message unusable (JAIN-SIP's own list in UDPMessageChannel). */
    private static final Map<Class<?>, String> ESSENTIAL = Map.of(
            From.class, "unreadable From",
            To.class, "unreadable To",
            CSeq.class, "unreadable CSeq",
            Via.class, "unreadable Via",
            ViaList.class, "unreadable Via",
            CallID.class, "unreadable Call-ID",
            ContentLength.class, "unreadable Content-Length",
            RequestLine.class, "unreadable request line",
            StatusLine.class, "unreadable status line");

    /** What became of a message's bytes. */
    sealed interface Outcome {
    }

    /** A message for the stack. */
    record Accepted(SIPMessage message) implements Outcome {
    }

    /** Nothing but line ends (a keep-alive): no answer, no event. */
    enum Ignored implements Outcome { KEEP_ALIVE }

    /**
     * A refused message.
     *
     * @param event      the security event to count
     * @param reason     a short fixed description for the event line
     * @param parseError whether the source is charged for a message it could not have meant
     * @param answer     the response to send back, when the message could be answered
     */
    record Refused(SecurityEvent event, String reason, boolean parseError, Optional<byte[]> answer) implements Outcome {
    }

    private final MessageParserFactory parsers;
    private final SIPTransactionStack stack;
    private final int maxMessageSize;
    private final String transport;

    SipMessageReader(SIPTransactionStack stack, int maxMessageSize, String transport) {
        this.parsers = stack.getMessageParserFactory();
        this.stack = stack;
        this.maxMessageSize = maxMessageSize;
        this.transport = transport;
    }

    /**
     * One datagram, as received (the receive buffer is {@code maxMessageSize + 1} bytes, so a longer
     * datagram arrives cut at that length and is oversized here).
     */
    Outcome datagram(byte[] bytes, InetSocketAddress source) {
        if (onlyLineEnds(bytes)) {
            return Ignored.KEEP_ALIVE;
        }
        Parsed parsed = parse(bytes);
        if (bytes.length > maxMessageSize) {
            return new Refused(SecurityEvent.OVERSIZED, "message larger than the limit", parsed.message == null,
                    answer(parsed, Response.MESSAGE_TOO_LARGE));
        }
        Optional<Refused> refused = check(parsed);
        if (refused.isPresent()) {
            return refused.get();
        }
        SIPMessage message = parsed.message;
        int headerEnd = Math.min(message.getSize(), bytes.length);
        int available = bytes.length - headerEnd;
        ContentLength declared = (ContentLength) message.getContentLengthHeader();
        if (declared != null && declared.getContentLength() > available) {
            return malformed(parsed, "Content-Length beyond the datagram");
        }
        int body = declared != null ? declared.getContentLength() : available;
        return accept(message, bytes, headerEnd, body, source);
    }

    /** One whole frame from a stream: its Content-Length was found by the decoder. */
    Outcome stream(SipFrame.Message frame, InetSocketAddress source) {
        byte[] bytes = frame.bytes();
        Parsed parsed = parse(bytes);
        Optional<Refused> refused = check(parsed);
        if (refused.isPresent()) {
            return refused.get();
        }
        SIPMessage message = parsed.message;
        int body = bytes.length - frame.headerLength();
        ContentLength declared = (ContentLength) message.getContentLengthHeader();
        if (declared == null || declared.getContentLength() != body) {
            return malformed(parsed, "Content-Length does not match the body");
        }
        return accept(message, bytes, frame.headerLength(), body, source);
    }

    /** The header section of a stream message larger than the limit: 513 when it can be read. */
    Refused oversized(byte[] headers) {
        Parsed parsed = parse(headers);
        return new Refused(SecurityEvent.OVERSIZED, "message larger than the limit", parsed.message == null,
                answer(parsed, Response.MESSAGE_TOO_LARGE));
    }

    /** The header section of a stream message without a usable Content-Length: 400 when it can be answered. */
    Refused unframed(byte[] headers) {
        Parsed parsed = parse(headers);
        return new Refused(SecurityEvent.MALFORMED, "no usable Content-Length on a stream", true,
                answer(parsed, Response.BAD_REQUEST));
    }

    /** The 503 for a source over its rate: only to a request that parses and is not an ACK. */
    Optional<byte[]> busy(Outcome outcome) {
        if (outcome instanceof Accepted(SIPRequest request) && !Request.ACK.equals(request.getMethod())) {
            return response(request, Response.SERVICE_UNAVAILABLE);
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ parsing and checks

    /** A parse result: the message (null when nothing usable came out) and what went wrong. */
    private record Parsed(SIPMessage message, String problem, byte[] bytes, int start, int headerEnd) {

        Parsed(SIPMessage message, String problem) {
            this(message, problem, null, 0, 0);
        }
    }

    private Parsed parse(byte[] bytes) {
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
            start++;
        }
        if (start == bytes.length) {
            return new Parsed(null, "no message");
        }
        int headerEnd = headerEnd(bytes, start);
        int sectionEnd = headerEnd < 0 ? bytes.length : headerEnd;
        if (sectionEnd - start > maxMessageSize) {
            return new Parsed(null, "header section larger than the limit");
        }
        Problems problems = new Problems();
        try {
            SIPMessage message = parsers.createMessageParser(stack).parseSIPMessage(bytes, false, false, problems);
            if (message == null) {
                return new Parsed(null, "no message", bytes, start, sectionEnd);
            }
            return new Parsed(message, problems.essential, bytes, start, sectionEnd);
        } catch (ParseException | RuntimeException e) {
            return new Parsed(null, problems.essential != null ? problems.essential : "unparseable message", bytes,
                    start, sectionEnd);
        }
    }

    /** Collects parse failures: essential headers are remembered, other lines kept for the validator's 400. */
    private static final class Problems implements ParseExceptionListener {
        String essential;
        int unreadable;

        @Override
        public void handleException(ParseException ex, SIPMessage message, Class headerClass, String header, String raw)
                throws ParseException {
            if (++unreadable > MAX_UNREADABLE_HEADERS) {
                throw new ParseException("too many unreadable header lines", 0);
            }
            String description = headerClass == null ? null : ESSENTIAL.get(headerClass);
            if (description != null) {
                if (essential == null) {
                    essential = description;
                }
                return;
            }
            if (message != null && header != null) {
                message.addUnparsed(header);
            }
        }
    }

    private Optional<Refused> check(Parsed parsed) {
        SIPMessage message = parsed.message;
        if (parsed.bytes != null) {
            Optional<SipSyntax.Problem> syntax = SipSyntax.check(parsed.bytes, parsed.start, parsed.headerEnd);
            if (syntax.isPresent()) {
                return Optional.of(rawRefusal(parsed, syntax.get().status(), syntax.get().reason()));
            }
        }
        if (message == null) {
            return Optional.of(rawRefusal(parsed, Response.BAD_REQUEST, parsed.problem));
        }
        if (parsed.problem != null) {
            return Optional.of(malformed(parsed, parsed.problem));
        }
        String missing = missingHeader(message);
        if (missing != null) {
            return Optional.of(malformed(parsed, missing));
        }
        int viaPort = message.getTopmostVia().getPort();
        if (viaPort != -1 && (viaPort < 1 || viaPort > 65_535)) {
            return Optional.of(malformed(parsed, "Via port out of range"));
        }
        if (message instanceof SIPRequest request && !"SIP/2.0".equals(request.getRequestLine().getSipVersion())) {
            return Optional.of(new Refused(SecurityEvent.MALFORMED, "unsupported SIP version", true,
                    answer(parsed, Response.VERSION_NOT_SUPPORTED)));
        }
        return Optional.empty();
    }

    private static String missingHeader(SIPMessage message) {
        if (message instanceof SIPRequest request && request.getRequestLine() == null) {
            return "unreadable request line";
        }
        if (message instanceof SIPResponse response && response.getStatusLine() == null) {
            return "unreadable status line";
        }
        if (message.getTopmostVia() == null) {
            return "no Via";
        }
        if (message.getFrom() == null) {
            return "no From";
        }
        if (message.getTo() == null) {
            return "no To";
        }
        if (message.getCallId() == null) {
            return "no Call-ID";
        }
        if (message.getCSeq() == null) {
            return "no CSeq";
        }
        return null;
    }

    /** A refusal answered from the raw lines (the parser's view may be missing or not to be trusted). */
    private static Refused rawRefusal(Parsed parsed, int status, String reason) {
        Optional<byte[]> answer = parsed.bytes == null ? Optional.empty()
                : SipSyntax.answer(parsed.bytes, parsed.start, parsed.headerEnd, status, REASONS.get(status),
                        SipFactories.newTag());
        return new Refused(SecurityEvent.MALFORMED, reason, true, answer);
    }

    /** A 400 from the parsed request when it names where answers go, else from the raw lines. */
    private Refused malformed(Parsed parsed, String reason) {
        Optional<byte[]> answer = answer(parsed, Response.BAD_REQUEST);
        return answer.isPresent() ? new Refused(SecurityEvent.MALFORMED, reason, true, answer)
                : rawRefusal(parsed, Response.BAD_REQUEST, reason);
    }

    private Accepted accept(SIPMessage message, byte[] bytes, int headerEnd, int body, InetSocketAddress source) {
        if (body > 0) {
            message.setMessageContent(Arrays.copyOfRange(bytes, headerEnd, headerEnd + body));
        }
        if (message instanceof SIPRequest request) {
            stamp(message.getTopmostVia(), source, transport);
            String branch = request.getTopmostVia().getBranch();
            if (branch == null || !branch.startsWith(RFC3261_COOKIE)) {
                giveBranch(request);
            }
        }
        return new Accepted(message);
    }

    /**
     * RFC 3581 §4 whether or not the client asked: the response goes to the packet's source, over
     * the transport the request came on (a Via naming another transport is corrected, so the stack
     * cannot pick a connection the request never used).
     */
    private static void stamp(Via via, InetSocketAddress source, String transport) {
        try {
            if (!transport.equalsIgnoreCase(via.getTransport())) {
                via.setTransport(transport);
            }
            via.setReceived(source.getAddress().getHostAddress());
            via.setParameter(Via.RPORT, Integer.toString(source.getPort()));
            via.removeParameter(Via.MADDR);
        } catch (ParseException impossible) {
            throw new IllegalStateException("an address literal and a port are valid Via parameters", impossible);
        }
    }

    /** The answer to a refused message, when it is a request other than ACK that names where answers go. */
    private Optional<byte[]> answer(Parsed parsed, int status) {
        if (!(parsed.message instanceof SIPRequest request) || missingHeader(request) != null
                || Request.ACK.equals(request.getMethod())) {
            return Optional.empty();
        }
        return response(request, status);
    }

    private Optional<byte[]> response(SIPRequest request, int status) {
        try {
            SIPResponse response = request.createResponse(status, REASONS.get(status));
            To to = (To) response.getTo();
            if (to != null && !to.hasTag()) {
                to.setTag(SipFactories.newTag());
            }
            if (status == Response.SERVICE_UNAVAILABLE) {
                RetryAfter retry = new RetryAfter();
                retry.setRetryAfter(RETRY_AFTER_SECONDS);
                response.setHeader(retry);
            }
            response.removeContent();
            return Optional.of(response.encodeAsBytes(transport));
        } catch (ParseException | InvalidArgumentException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Gives a request of RFC 2543 (no branch, or one without the magic cookie) a branch of RFC 3261
     * §17.2.3 made from what identifies its transaction in RFC 2543 (Request-URI, Call-ID, From tag,
     * CSeq number, top Via sent-by), so retransmissions, its ACK and its CANCEL get the same one and
     * the stack matches them by branch. The stack's own RFC 2543 matching walks every transaction
     * and fails on those whose request it has already released.
     */
    private static void giveBranch(SIPRequest request) {
        Via via = request.getTopmostVia();
        String key = request.getRequestURI() + "|" + request.getCallId().getCallId() + "|" + request.getFromTag()
                + "|" + request.getCSeq().getSeqNumber() + "|" + via.getSentBy() + "|" + via.getBranch();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            via.setBranch(RFC3261_COOKIE + "-2543-" + java.util.HexFormat.of().formatHex(digest, 0, 12));
        } catch (java.security.NoSuchAlgorithmException | ParseException e) {
            throw new IllegalStateException("SHA-256 and a hex branch are always available", e);
        }
    }

    /** Where the header section ends (after its empty line), or -1. */
    private static int headerEnd(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (i + 1 < bytes.length && bytes[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < bytes.length && bytes[i + 1] == '\r' && bytes[i + 2] == '\n') {
                return i + 3;
            }
        }
        return -1;
    }

    private static boolean onlyLineEnds(byte[] bytes) {
        for (byte b : bytes) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
