package org.icgw.gateway.sip.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sip.message.Response;

/**
 * The grammar checks of RFC 3261 §25 that JAIN-SIP's parser lets through, on the raw header
 * section of a request before it is parsed (the RFC 4475 torture cases and PROTOS-style
 * mutations it accepted): a strict request line (single spaces, no trailing white space, no
 * angle brackets or white space in the Request-URI, 505 for another SIP version), UTF-8 text,
 * control characters only as quoted pairs, single-valued headers once, name-addr syntax in From,
 * To and Contact (display names quoted or tokens, no white space inside the angle brackets,
 * balanced quotes), non-empty tags, and SIP URI hosts that are names or IP literals. Responses
 * are only held to UTF-8 and control characters.
 *
 * <p>A failed check is a {@link Problem} with its status (400 or 505) and a short fixed
 * description; {@link #answer} writes the answer from the raw lines when the parser could not.
 */
final class SipSyntax {

    /** A refusal: the status to answer and a fixed description for the security event. */
    record Problem(int status, String reason) {
    }

    /** Headers that may appear once (RFC 3261 §7.3.1 and §20), by full and compact name. */
    private static final Map<String, String> SINGLE = Map.ofEntries(
            Map.entry("call-id", "call-id"), Map.entry("i", "call-id"),
            Map.entry("cseq", "cseq"),
            Map.entry("from", "from"), Map.entry("f", "from"),
            Map.entry("to", "to"), Map.entry("t", "to"),
            Map.entry("max-forwards", "max-forwards"),
            Map.entry("content-length", "content-length"), Map.entry("l", "content-length"),
            Map.entry("content-type", "content-type"), Map.entry("c", "content-type"));
    /** Headers whose values are name-addr or addr-spec (RFC 3261 §20.10, §20.20, §20.39). */
    private static final Set<String> ADDRESSES = Set.of("from", "f", "to", "t", "contact", "m");
    /** Headers a 400 written from raw lines copies (RFC 3261 §8.2.6.2). */
    private static final Set<String> COPIED = Set.of("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq");
    /** Longest header line a raw answer copies. */
    private static final int MAX_COPIED_LINE = 1024;

    private static final String TOKEN = "[A-Za-z0-9.!%*_+`'~-]+";
    private static final Pattern TOKEN_ONLY = Pattern.compile(TOKEN);
    private static final Pattern REQUEST_LINE = Pattern.compile("(" + TOKEN + ") ([^\\s<>\"]+) (SIP/[0-9]+\\.[0-9]+)");
    private static final Pattern VERSION = Pattern.compile("[Ss][Ii][Pp]/[0-9]+\\.[0-9]+");
    private static final Pattern DISPLAY_TOKENS = Pattern.compile(TOKEN + "(?:[ \\t]+" + TOKEN + ")*");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.?");
    private static final Pattern IPV4 = Pattern.compile("(?:(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])");
    /** Call-ID: word ["@" word] (RFC 3261 §25.1). */
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9.!%*_+`'~()<>:\\\\\"/\\[\\]?{}-]+"
            + "(?:@[A-Za-z0-9.!%*_+`'~()<>:\\\\\"/\\[\\]?{}-]+)?");
    /** CSeq: 1*DIGIT LWS Method; the number below 2**31 is the validator's. */
    private static final Pattern CSEQ = Pattern.compile("[0-9]{1,10}[ \\t]+" + TOKEN);
    /** One via-parm's sent-protocol and sent-by start: SIP / 2.0 / transport, then a host. */
    private static final Pattern VIA = Pattern.compile("[Ss][Ii][Pp][ \\t]*/[ \\t]*2\\.0[ \\t]*/[ \\t]*" + TOKEN
            + "[ \\t]+[^\\s;,]+.*", Pattern.DOTALL);
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+\\]");

    private SipSyntax() {
    }

    /** The header section (start line and headers, without the empty line) of a message. */
    static Optional<Problem> check(byte[] bytes, int from, int to) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return bad("header section is not UTF-8");
        }
        List<String> lines = lines(text);
        if (lines == null) {
            return bad("bare CR in the header section");
        }
        if (lines.isEmpty()) {
            return bad("no start line");
        }
        String start = lines.get(0);
        boolean request = !start.startsWith("SIP/");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Optional<Problem> controls = controls(lines.get(i));
            if (controls.isPresent()) {
                return controls;
            }
        }
        if (!request) {
            return Optional.empty();
        }
        var line = REQUEST_LINE.matcher(start);
        if (!line.matches()) {
            String[] parts = start.split(" ", -1);
            if (parts.length == 3 && VERSION.matcher(parts[2]).matches() && !parts[2].equals("SIP/2.0")) {
                return Optional.of(new Problem(Response.VERSION_NOT_SUPPORTED, "unsupported SIP version"));
            }
            return bad("malformed request line");
        }
        if (!line.group(3).equals("SIP/2.0")) {
            return Optional.of(new Problem(Response.VERSION_NOT_SUPPORTED, "unsupported SIP version"));
        }
        if (!sipHostOk(line.group(2))) {
            return bad("malformed Request-URI host");
        }
        for (int i = 1; i < lines.size(); i++) {
            String header = lines.get(i);
            int colon = header.indexOf(':');
            if (colon <= 0) {
                return bad("header line without a name");
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!TOKEN_ONLY.matcher(name).matches()) {
                return bad("malformed header name");
            }
            String single = SINGLE.get(name);
            if (single != null && seen.merge(single, 1, Integer::sum) > 1) {
                return bad("single-valued header repeated");
            }
            String value = header.substring(colon + 1).strip();
            Optional<Problem> shape = switch (single != null ? single : name) {
                case "call-id" -> CALL_ID.matcher(value).matches() ? Optional.empty() : bad("malformed Call-ID");
                case "cseq" -> CSEQ.matcher(value).matches() ? Optional.empty() : bad("malformed CSeq");
                case "via", "v" -> vias(value);
                default -> Optional.empty();
            };
            if (shape.isPresent()) {
                return shape;
            }
            if (ADDRESSES.contains(name)) {
                boolean list = name.equals("contact") || name.equals("m");
                Optional<Problem> address = addresses(header.substring(colon + 1).strip(), !list);
                if (address.isPresent()) {
                    return address;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A 400 or 505 written from the raw lines, for a request the parser could not read: status line
     * with the fixed reason, the Via, From, To (with a tag), Call-ID and CSeq lines as they came
     * (lines with control characters or over {@value #MAX_COPIED_LINE} characters left out), no
     * body. Empty when there is no Via or CSeq to copy, or the request is an ACK.
     */
    static Optional<byte[]> answer(byte[] bytes, int from, int to, int status, String reason, String tag) {
        List<String> lines = lines(new String(bytes, from, to - from, StandardCharsets.UTF_8));
        if (lines == null || lines.isEmpty() || lines.get(0).startsWith("SIP/") || lines.get(0).startsWith("ACK ")) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        boolean via = false;
        boolean cseq = false;
        for (int i = 1; i < lines.size(); i++) {
            String header = lines.get(i);
            int colon = header.indexOf(':');
            if (colon <= 0 || header.length() > MAX_COPIED_LINE
                    || header.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                continue;
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            if (!COPIED.contains(name)) {
                continue;
            }
            via |= name.equals("via") || name.equals("v");
            cseq |= name.equals("cseq");
            out.append(header);
            if ((name.equals("to") || name.equals("t")) && !header.toLowerCase(Locale.ROOT).matches(".*;\\s*tag\\s*=.*")) {
                out.append(";tag=").append(tag);
            }
            out.append("\r\n");
        }
        if (!via || !cseq) {
            return Optional.empty();
        }
        out.append("Content-Length: 0\r\n\r\n");
        return Optional.of(out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Lines of the header section, folded lines joined (RFC 3261 §7.3.1); null on a bare CR. */
    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) {
            i++;
        }
        StringBuilder current = null;
        while (i < n) {
            int end = text.indexOf('\n', i);
            if (end < 0) {
                end = n;
            }
            String line = text.substring(i, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            if (line.indexOf('\r') >= 0) {
                return null;
            }
            i = end + 1;
            if (line.isEmpty()) {
                break;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append(' ').append(line.strip());
            } else {
                if (current != null) {
                    out.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out;
    }

    /** Control characters outside quoted pairs (HTAB is white space); DEL counts as one. */
    private static Optional<Problem> controls(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\' && i + 1 < line.length()) {
                i++;
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return bad("control character in a header");
            }
        }
        return Optional.empty();
    }

    /** Each via-parm of a Via header value: the protocol and transport are tokens, the text ASCII. */
    private static Optional<Problem> vias(String value) {
        List<String> parts = splitList(value);
        if (parts == null) {
            return bad("unbalanced quotes in a Via");
        }
        for (String part : parts) {
            String via = part.strip();
            if (!VIA.matcher(via).matches() || via.chars().anyMatch(c -> c > 0x7e)) {
                return bad("malformed Via");
            }
        }
        return Optional.empty();
    }

    /** From/To (one address) or Contact (a list, or {@code *}). */
    private static Optional<Problem> addresses(String value, boolean one) {
        if (!one && value.equals("*")) {
            return Optional.empty();
        }
        List<String> parts = one ? List.of(value) : splitList(value);
        if (parts == null) {
            return bad("unbalanced quotes in an address");
        }
        for (String part : parts) {
            Optional<Problem> p = address(part.strip(), one);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /** Splits a header value at commas outside quotes and angle brackets; null on unbalanced quotes. */
    private static List<String> splitList(String value) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int angle = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                angle++;
            } else if (!quoted && c == '>') {
                angle--;
            } else if (!quoted && angle == 0 && c == ',') {
                out.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (quoted) {
            return null;
        }
        out.add(value.substring(start));
        return out;
    }

    /** One name-addr or addr-spec with its parameters. */
    private static Optional<Problem> address(String value, boolean needsTagCheck) {
        int i = 0;
        String display = "";
        int open = -1;
        if (value.startsWith("\"")) {
            int close = closingQuote(value);
            if (close < 0) {
                return bad("unbalanced quotes in an address");
            }
            i = close + 1;
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i >= value.length() || value.charAt(i) != '<') {
                return bad("quoted display name without an address");
            }
            open = i;
        } else {
            open = value.indexOf('<');
            if (open >= 0) {
                display = value.substring(0, open).strip();
                if (value.substring(0, open).indexOf('"') >= 0) {
                    return bad("unbalanced quotes in an address");
                }
                if (!display.isEmpty() && !DISPLAY_TOKENS.matcher(display).matches()) {
                    return bad("display name neither quoted nor tokens");
                }
            }
        }
        String uri;
        String params;
        if (open >= 0) {
            int close = value.indexOf('>', open);
            if (close < 0) {
                return bad("address without a closing bracket");
            }
            uri = value.substring(open + 1, close);
            if (uri.isEmpty() || Character.isWhitespace(uri.charAt(0)) || Character.isWhitespace(uri.charAt(uri.length() - 1))) {
                return bad("white space inside an address's brackets");
            }
            params = value.substring(close + 1);
        } else {
            if (value.indexOf('"') >= 0) {
                return bad("unbalanced quotes in an address");
            }
            int semi = value.indexOf(';');
            uri = (semi < 0 ? value : value.substring(0, semi)).strip();
            params = semi < 0 ? "" : value.substring(semi);
            if (uri.isEmpty() || uri.chars().anyMatch(Character::isWhitespace)) {
                return bad("malformed address");
            }
        }
        if (!sipHostOk(uri)) {
            return bad("malformed host in an address");
        }
        if (needsTagCheck) {
            for (String param : params.split(";")) {
                int eq = param.indexOf('=');
                String name = (eq < 0 ? param : param.substring(0, eq)).strip();
                if (name.equalsIgnoreCase("tag") && (eq < 0 || !TOKEN_ONLY.matcher(param.substring(eq + 1).strip()).matches())) {
                    return bad("empty or malformed tag");
                }
            }
        }
        return Optional.empty();
    }

    /** The index of the quote closing the quoted string that starts at 0, or -1. */
    private static int closingQuote(String value) {
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** A sip: or sips: URI's host is a name or an IP literal; other schemes are not checked here. */
    static boolean sipHostOk(String uri) {
        String lower = uri.toLowerCase(Locale.ROOT);
        int schemeEnd;
        if (lower.startsWith("sip:")) {
            schemeEnd = 4;
        } else if (lower.startsWith("sips:")) {
            schemeEnd = 5;
        } else {
            return true;
        }
        String rest = uri.substring(schemeEnd);
        if (rest.chars().anyMatch(c -> c > 0x7e || c <= 0x20)) {
            return false;
        }
        int userEnd = rest.lastIndexOf('@');
        if (userEnd == 0 || (userEnd > 0 && rest.charAt(0) == ':')) {
            return false;
        }
        int end = rest.length();
        for (char stop : new char[] {';', '?'}) {
            int at = rest.indexOf(stop, rest.lastIndexOf('@') + 1);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String hostport = rest.substring(rest.lastIndexOf('@', end - 1) + 1, end);
        String host;
        if (hostport.startsWith("[")) {
            int close = hostport.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = hostport.substring(0, close + 1);
            String port = hostport.substring(close + 1);
            if (!port.isEmpty() && !port.matches(":[0-9]{1,5}")) {
                return false;
            }
            return IPV6.matcher(host).matches();
        }
        int colon = hostport.indexOf(':');
        host = colon < 0 ? hostport : hostport.substring(0, colon);
        if (colon >= 0 && !hostport.substring(colon).matches(":[0-9]{1,5}")) {
            return false;
        }
        return IPV4.matcher(host).matches() || HOSTNAME.matcher(host).matches();
    }

    private static Optional<Problem> bad(String reason) {
        return Optional.of(new Problem(Response.BAD_REQUEST, reason));
    }
}
