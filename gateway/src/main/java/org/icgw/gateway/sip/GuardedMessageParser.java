package org.icgw.gateway.sip;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.parser.MessageParser;
import gov.nist.javax.sip.parser.MessageParserFactory;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.text.ParseException;

/**
 * JAIN-SIP's message parser behind two guards, for every message the stack reads (stack property
 * {@code gov.nist.javax.sip.MESSAGE_PARSER_FACTORY}) and for any other transport's decoder:
 *
 * <ul>
 *   <li>a {@code Via} header with a comment ({@code (...)}) is refused before parsing: the
 *       stack's Via parser reads a comment in a loop that an escape or a NUL can carry past the
 *       end of the line, and then never returns (one datagram held a stack thread forever; found
 *       twice by SipRequestGateFuzzTest). RFC 3261 §20.42 has no comments in a Via;</li>
 *   <li>an exception the parser throws on odd input (a {@code NullPointerException} comparing
 *       address headers, found the same way) becomes the {@link ParseException} every
 *       unreadable message gives, so the transport treats it as one.</li>
 * </ul>
 *
 * Both refusals carry a fixed message, never the input.
 */
public final class GuardedMessageParser implements MessageParser {

    /** The stack's factory for this parser. */
    public static final class Factory implements MessageParserFactory {
        @Override
        public MessageParser createMessageParser(SIPTransactionStack stack) {
            return new GuardedMessageParser();
        }
    }

    private final StringMsgParser parser = new StringMsgParser();

    @Override
    public SIPMessage parseSIPMessage(byte[] message, boolean readBody, boolean strict, ParseExceptionListener listener)
            throws ParseException {
        int at = viaComment(message);
        if (at >= 0) {
            throw new ParseException("Via has a comment", at);
        }
        try {
            return parser.parseSIPMessage(message, readBody, strict, listener);
        } catch (RuntimeException e) {
            ParseException unreadable = new ParseException("unreadable message", 0);
            unreadable.initCause(e);
            throw unreadable;
        }
    }

    /**
     * Where the header section has a {@code Via} (or compact {@code v}) field with a comment, the
     * position of its {@code (}; -1 when none has. Continuation lines belong to the field above.
     * Stops at the empty line before the body.
     */
    static int viaComment(byte[] message) {
        boolean inVia = false;
        int lineStart = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i < message.length && message[i] != '\n') {
                continue;
            }
            int end = i;
            while (end > lineStart && (message[end - 1] == '\r' || message[end - 1] == ' ' || message[end - 1] == '\t')) {
                end--;
            }
            boolean folded = lineStart < i && (message[lineStart] == ' ' || message[lineStart] == '\t');
            if (!folded) {
                if (end == lineStart) {
                    return -1; // the empty line: the body follows
                }
                inVia = isViaName(message, lineStart, i);
            }
            for (int j = lineStart; inVia && j < end; j++) {
                if (message[j] == '(') {
                    return j;
                }
            }
            lineStart = i + 1;
        }
        return -1;
    }

    /** Whether the line at {@code from} names {@code Via} or {@code v}, any case, before its colon. */
    private static boolean isViaName(byte[] m, int from, int to) {
        int colon = from;
        while (colon < to && m[colon] != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > from && (m[nameEnd - 1] == ' ' || m[nameEnd - 1] == '\t')) {
            nameEnd--;
        }
        int length = nameEnd - from;
        if (colon == to || (length != 1 && length != 3)) {
            return false;
        }
        if (length == 1) {
            return (m[from] | 0x20) == 'v';
        }
        return (m[from] | 0x20) == 'v' && (m[from + 1] | 0x20) == 'i' && (m[from + 2] | 0x20) == 'a';
    }
}
