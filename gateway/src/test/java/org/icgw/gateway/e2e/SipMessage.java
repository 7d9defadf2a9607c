package org.icgw.gateway.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A SIP message as text, read leniently: start line, headers in order, body. Test code. */
public record SipMessage(String startLine, List<Map.Entry<String, String>> headers, String body) {

    private static final Map<String, String> COMPACT = Map.of("v", "via", "f", "from", "t", "to", "i", "call-id",
            "m", "contact", "l", "content-length", "c", "content-type", "x", "session-expires");
    private static final Pattern TAG = Pattern.compile(";\\s*tag=([^;>\\s]+)");

    public static SipMessage parse(String text) {
        String[] parts = text.split("\r\n\r\n", 2);
        String[] lines = parts[0].split("\r\n");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.add(Map.entry(COMPACT.getOrDefault(name, name), lines[i].substring(colon + 1).trim()));
            }
        }
        return new SipMessage(lines[0], List.copyOf(headers), parts.length > 1 ? parts[1] : "");
    }

    public boolean isRequest() {
        return !startLine.startsWith("SIP/2.0 ");
    }

    public String method() {
        return isRequest() ? startLine.substring(0, startLine.indexOf(' ')) : cseqMethod();
    }

    public String requestUri() {
        return startLine.split(" ")[1];
    }

    public int status() {
        return isRequest() ? 0 : Integer.parseInt(startLine.substring(8, 11));
    }

    public List<String> all(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return headers.stream().filter(h -> h.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }

    public Optional<String> header(String name) {
        return all(name).stream().findFirst();
    }

    public String callId() {
        return header("Call-ID").orElseThrow();
    }

    public long cseqNumber() {
        return Long.parseLong(header("CSeq").orElseThrow().trim().split("\\s+")[0]);
    }

    public String cseqMethod() {
        return header("CSeq").orElseThrow().trim().split("\\s+")[1];
    }

    public Optional<String> toTag() {
        return tagOf(header("To").orElseThrow());
    }

    public Optional<String> fromTag() {
        return tagOf(header("From").orElseThrow());
    }

    /** The URI inside the Contact header. */
    public String contactUri() {
        String c = header("Contact").orElseThrow();
        int lt = c.indexOf('<');
        return lt >= 0 ? c.substring(lt + 1, c.indexOf('>')) : c.split(";")[0];
    }

    public static Optional<String> tagOf(String headerValue) {
        Matcher m = TAG.matcher(headerValue);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** A response to this request: Via, From, To (with {@code toTag} added if it has none), Call-ID, CSeq copied. */
    public String response(int status, String reason, String toTag, String extraHeaders, String body) {
        StringBuilder sb = new StringBuilder("SIP/2.0 ").append(status).append(' ').append(reason).append("\r\n");
        all("Via").forEach(v -> sb.append("Via: ").append(v).append("\r\n"));
        sb.append("From: ").append(header("From").orElseThrow()).append("\r\n");
        String to = header("To").orElseThrow();
        if (toTag != null && tagOf(to).isEmpty()) {
            to = to + ";tag=" + toTag;
        }
        sb.append("To: ").append(to).append("\r\n");
        sb.append("Call-ID: ").append(callId()).append("\r\n");
        sb.append("CSeq: ").append(header("CSeq").orElseThrow()).append("\r\n");
        sb.append(extraHeaders);
        if (!body.isEmpty()) {
            sb.append("Content-Type: application/sdp\r\n");
        }
        sb.append("Content-Length: ").append(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).append("\r\n\r\n");
        sb.append(body);
        return sb.toString();
    }

    @Override
    public String toString() {
        return startLine + " (" + header("Call-ID").orElse("?") + ", " + header("CSeq").orElse("?") + ")";
    }
}
