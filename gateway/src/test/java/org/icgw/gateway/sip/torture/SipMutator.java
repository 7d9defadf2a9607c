package org.icgw.gateway.sip.torture;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A generator of malformed SIP requests in the manner of the PROTOS c07-sip test suite: it takes
 * valid INVITE, REGISTER, OPTIONS, BYE and INFO requests and breaks one thing in each copy:
 * <ul>
 *   <li>a field's value replaced by an anomaly: overflows of {@code a}, {@code %} and NUL, format
 *       strings, huge and negative integers, non-ASCII and invalid UTF-8, control characters,
 *       separators, CRLF injections, invalid escapes, nothing at all;</li>
 *   <li>the message's structure: a critical header missing or duplicated with another value, a
 *       broken start line, a wrong SIP version, bad separators, truncation, binary noise,
 *       Content-Length lies, other line ends, thousands of headers.</li>
 * </ul>
 * Each variant knows whether the break made it invalid by RFC 3261's grammar ({@link Mutant#broken()}:
 * no 2xx may answer it) or whether it may still be valid (a long token is still a token, a
 * Content-Length below the body's length only truncates a datagram's body). Where a rule leaves room
 * (a numeric host, Max-Forwards above 255) the variant counts as possibly valid, so a broken
 * variant is broken for every reading of the RFC.
 *
 * <p>Deterministic: variant {@code i} of a generator depends only on the seed, the marker, the
 * target and {@code i}. Every variant carries the marker (in the Request-URI, the Subject and the
 * Call-ID, or inside the noise), so a log can be searched for payload bytes, and an id
 * ({@code vid} and six digits, in the branch, the From tag and the Call-ID) that a response echoes.
 */
public final class SipMutator {

    /** The variants one generator defines before they repeat with other random draws. */
    public static final int RECIPES_PER_CYCLE = 4_000;
    /** The id every variant carries: {@code vid} and its index in six digits. */
    public static final Pattern ID = Pattern.compile("vid(\\d{6})");
    private static final String CRLF = "\r\n";

    /** The gateway the requests go to, and the transport and socket they claim to come from (their top Via). */
    public record Target(String gatewayHost, int gatewayPort, String transport, String viaHost, int viaPort) {
    }

    /** The valid requests the variants start from. */
    public enum Base { INVITE, REGISTER, OPTIONS, BYE, INFO }

    /** The kind of break. */
    public enum Anomaly {
        OVERFLOW, PERCENT, NUL, FORMAT_STRING, INTEGER, NON_ASCII, BAD_UTF8, CONTROL, SEPARATOR_CHARS,
        CRLF_INJECTION, ESCAPE, EMPTY, VERSION, MISSING_HEADER, DUPLICATE_HEADER, START_LINE, BAD_SEPARATOR,
        TRUNCATION, BINARY_NOISE, CONTENT_LENGTH, LINE_ENDINGS, MANY_HEADERS
    }

    /**
     * One variant.
     *
     * @param target what was broken: a field, a header or the message
     * @param broken whether RFC 3261 makes it invalid, so that no 2xx may answer it
     */
    public record Mutant(int index, Base base, Anomaly anomaly, String target, String payload, boolean broken,
            byte[] bytes) {

        /** The id the variant carries. */
        public String id() {
            return idOf(index);
        }

        @Override
        public String toString() {
            return "#" + index + " " + base + " " + anomaly + " " + target + " [" + payload + "] "
                    + (broken ? "broken" : "maybe valid") + ", " + bytes.length + " bytes";
        }
    }

    /** The grammar a field's value must follow (RFC 3261 §25), and so which anomalies break it. */
    private enum Kind { METHOD, TOKEN, USER, HOST, PORT, CSEQ, DIGITS, QUOTED, TEXT, CALL_ID, VERSION, MEDIA_TYPE,
        MISMATCH, LENGTH, BODY }

    /** The fields of the base requests a value anomaly can replace. */
    private enum Field {
        METHOD(Kind.METHOD), REQUEST_USER(Kind.USER), REQUEST_HOST(Kind.HOST), REQUEST_PORT(Kind.PORT),
        VERSION(Kind.VERSION), VIA_TRANSPORT(Kind.TOKEN), VIA_HOST(Kind.HOST), VIA_PORT(Kind.PORT),
        VIA_BRANCH(Kind.TOKEN), MAX_FORWARDS(Kind.DIGITS), FROM_DISPLAY(Kind.QUOTED), FROM_USER(Kind.USER),
        FROM_TAG(Kind.TOKEN), TO_USER(Kind.USER), CALL_ID(Kind.CALL_ID), CSEQ_NUMBER(Kind.CSEQ),
        CSEQ_METHOD(Kind.MISMATCH), CONTACT_USER(Kind.USER), CONTACT_HOST(Kind.HOST), CONTACT_PORT(Kind.PORT),
        EXPIRES(Kind.DIGITS), SUBJECT(Kind.TEXT), CONTENT_TYPE(Kind.MEDIA_TYPE), CONTENT_LENGTH(Kind.LENGTH),
        BODY(Kind.BODY);

        final Kind kind;

        Field(Kind kind) {
            this.kind = kind;
        }
    }

    /** A value anomaly: bytes held one per char (ISO-8859-1), so any byte can be expressed. */
    private record Payload(Anomaly anomaly, String name, String bytes) {
    }

    private record Recipe(Base base, Anomaly anomaly, String target, Payload payload) {
    }

    /** A request as header lines, so structural breaks can work on it. */
    private record Draft(String startLine, List<String[]> headers, String body) {
        String render() {
            StringBuilder sb = new StringBuilder(startLine).append(CRLF);
            for (String[] h : headers) {
                sb.append(h[0]).append(h[1]).append(CRLF);
            }
            return sb.append(CRLF).append(body).toString();
        }

        int indexOf(String name) {
            for (int i = 0; i < headers.size(); i++) {
                if (headers.get(i)[0].equalsIgnoreCase(name + ": ")) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static final Set<String> MANDATORY = Set.of("Via", "From", "To", "Call-ID", "CSeq");
    private static final String TOKEN_MARKS = "-.!%*_+`'~";
    private static final String WORD_MARKS = "-.!%*_+`'~()<>:\\\"/[]?{}";
    private static final String USER_MARKS = "-_.!~*'()&=+$,;?/";

    private final long seed;
    private final String marker;
    private final List<Recipe> recipes;

    /**
     * @param marker letters and digits only (it must be valid in a URI user, a Call-ID and a Subject)
     */
    public SipMutator(long seed, String marker) {
        if (!marker.matches("[A-Za-z0-9]{8,40}")) {
            throw new IllegalArgumentException("marker: 8-40 letters and digits, got " + marker);
        }
        this.seed = seed;
        this.marker = marker;
        // Every structural break is kept; field values are sampled (seeded) to fill one cycle.
        Random random = new Random(seed);
        List<Recipe> structural = allRecipes().stream().filter(r -> r.payload() == null).toList();
        List<Recipe> values = new ArrayList<>(allRecipes().stream().filter(r -> r.payload() != null).toList());
        Collections.shuffle(values, random);
        List<Recipe> cycle = new ArrayList<>(structural);
        cycle.addAll(values.subList(0, Math.min(values.size(), RECIPES_PER_CYCLE - structural.size())));
        Collections.shuffle(cycle, random);
        this.recipes = List.copyOf(cycle);
    }

    public String marker() {
        return marker;
    }

    /** A fresh marker: letters and digits no log or message would hold by chance. */
    public static String newMarker() {
        return "Mk" + Long.toHexString(new SecureRandom().nextLong() | 1L << 62);
    }

    /** Variants {@code 0 .. count-1} for {@code target}. */
    public List<Mutant> mutants(int count, Target target) {
        return IntStream.range(0, count).mapToObj(i -> mutant(i, target)).toList();
    }

    /** Variant {@code index} for {@code target}; beyond one cycle the recipes repeat with new random draws. */
    public Mutant mutant(int index, Target target) {
        Recipe recipe = recipes.get(index % recipes.size());
        SplittableRandom random = new SplittableRandom(seed * 31 + index);
        return build(index, recipe, target, random);
    }

    /**
     * The variant of one recipe, whether or not this generator's cycle sampled it, with id
     * {@code index}: {@code target} is a field ({@code CALL_ID}) or what a structural break works
     * on ({@code CSeq}, {@code no colon CSeq}), {@code payload} a payload's name ({@code %G1}) or empty.
     */
    public Mutant recipe(Base base, Anomaly anomaly, String target, String payload, int index, Target to) {
        Recipe recipe = allRecipes().stream()
                .filter(r -> r.base() == base && r.anomaly() == anomaly && r.target().equals(target)
                        && (r.payload() == null ? payload.isEmpty() : r.payload().name().equals(payload)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(base + " " + target + " " + payload));
        return build(index, recipe, to, new SplittableRandom(seed * 31 + index));
    }

    /** The unbroken request of {@code base} with id {@code index}: what every variant starts from. */
    public byte[] valid(Base base, int index, Target target) {
        return latin1(draft(base, index, target, new EnumMap<>(Field.class)).render());
    }

    /** The id of variant {@code index}. */
    public static String idOf(int index) {
        return String.format(Locale.ROOT, "vid%06d", index);
    }

    // ------------------------------------------------------------------ recipes

    private static List<Recipe> allRecipes() {
        List<Recipe> all = new ArrayList<>();
        for (Base base : Base.values()) {
            for (Field field : fieldsOf(base)) {
                for (Payload p : payloads(field)) {
                    all.add(new Recipe(base, p.anomaly(), field.name(), p));
                }
            }
            List<String> headers = new ArrayList<>(List.of("Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards",
                    "Contact", "Subject", "Content-Length"));
            if (base == Base.REGISTER) {
                headers.add("Expires");
            }
            if (hasBody(base)) {
                headers.add("Content-Type");
            }
            for (String header : headers) {
                all.add(new Recipe(base, Anomaly.MISSING_HEADER, header, null));
            }
            for (String header : List.of("Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Contact",
                    "Content-Length")) {
                all.add(new Recipe(base, Anomaly.DUPLICATE_HEADER, header, null));
            }
            for (String how : List.of("no method", "no request-uri", "no version", "extra element", "tabs",
                    "lower-case method", "response line", "http request line", "leading CRLF", "folded",
                    "trailing spaces", "double spaces", "headers only", "start line only", "NUL start line")) {
                all.add(new Recipe(base, Anomaly.START_LINE, how, null));
            }
            for (String how : List.of("no colon Via", "no colon From", "no colon To", "no colon Call-ID",
                    "no colon CSeq", "semicolon for colon", "equals for colon", "space in header name",
                    "commas in Via", "CSeq glued", "CSeq slash", "From without >", "hash for @", "backslashes in Via",
                    "space before colon", "no space after colon")) {
                all.add(new Recipe(base, Anomaly.BAD_SEPARATOR, how, null));
            }
            for (int i = 0; i < 12; i++) {
                all.add(new Recipe(base, Anomaly.TRUNCATION, "cut " + i, null));
            }
            for (String how : List.of("whole message", "whole message", "inserted", "inserted", "appended")) {
                all.add(new Recipe(base, Anomaly.BINARY_NOISE, how, null));
            }
            for (String how : List.of("LF", "CR", "mixed")) {
                all.add(new Recipe(base, Anomaly.LINE_ENDINGS, how, null));
            }
            for (String how : List.of("100 Vias", "300 unknown headers", "2000 unknown headers")) {
                all.add(new Recipe(base, Anomaly.MANY_HEADERS, how, null));
            }
        }
        return all;
    }

    private static List<Field> fieldsOf(Base base) {
        EnumSet<Field> fields = EnumSet.allOf(Field.class);
        if (base == Base.REGISTER) {
            fields.remove(Field.REQUEST_USER);
        } else {
            fields.remove(Field.EXPIRES);
        }
        if (!hasBody(base)) {
            fields.remove(Field.CONTENT_TYPE);
            fields.remove(Field.BODY);
        }
        return List.copyOf(fields);
    }

    private static boolean hasBody(Base base) {
        return base == Base.INVITE || base == Base.INFO;
    }

    private static List<Payload> payloads(Field field) {
        List<Payload> list = new ArrayList<>(GENERIC);
        if (field == Field.VERSION) {
            for (String v : List.of("SIP/1.0", "SIP/3.0", "SIP/2.1", "SIP/20", "SIP/", "SIP", "SIP/2.0/UDP",
                    "HTTP/1.1", "SIP/-2.0", "SIP/99999999999999999999.0", "XIP/2.0", "SIP /2.0", "sip/2.0")) {
                list.add(new Payload(Anomaly.VERSION, v, v));
            }
        }
        if (field == Field.CONTENT_LENGTH) {
            for (String v : List.of("+1", "+999", "-1 of the body", "2147483648", "4294967296", "9223372036854775808",
                    "-1", "abc", "0x10", "1 1")) {
                list.add(new Payload(Anomaly.CONTENT_LENGTH, v, v));
            }
        }
        return list;
    }

    private static final List<Payload> GENERIC = List.of(
            new Payload(Anomaly.OVERFLOW, "a x128", "a".repeat(128)),
            new Payload(Anomaly.OVERFLOW, "a x2048", "a".repeat(2048)),
            new Payload(Anomaly.OVERFLOW, "a x16000", "a".repeat(16_000)),
            new Payload(Anomaly.PERCENT, "% x256", "%".repeat(256)),
            new Payload(Anomaly.NUL, "NUL x16", "\0".repeat(16)),
            new Payload(Anomaly.NUL, "NUL x1024", "\0".repeat(1024)),
            new Payload(Anomaly.FORMAT_STRING, "%s%n", "%s%s%s%s%s%s%n%n%n%n"),
            new Payload(Anomaly.FORMAT_STRING, "%x", "%x%x%x%x%x%x%x%x"),
            new Payload(Anomaly.FORMAT_STRING, "%99999999999s", "%99999999999s"),
            new Payload(Anomaly.FORMAT_STRING, "%.1024d%n", "%.1024d%n"),
            new Payload(Anomaly.INTEGER, "-1", "-1"),
            new Payload(Anomaly.INTEGER, "0", "0"),
            new Payload(Anomaly.INTEGER, "65536", "65536"),
            new Payload(Anomaly.INTEGER, "2^31", "2147483648"),
            new Payload(Anomaly.INTEGER, "2^32", "4294967296"),
            new Payload(Anomaly.INTEGER, "2^64", "18446744073709551616"),
            new Payload(Anomaly.INTEGER, "-2^31-1", "-2147483649"),
            new Payload(Anomaly.INTEGER, "9 x40", "9".repeat(40)),
            new Payload(Anomaly.NON_ASCII, "UTF-8 text", utf8("Grüße aus der Zelle 通話 ✓")),
            new Payload(Anomaly.NON_ASCII, "é x300", utf8("é".repeat(300))),
            new Payload(Anomaly.BAD_UTF8, "overlong C0 AF", "\u00c0\u00af"),
            new Payload(Anomaly.BAD_UTF8, "FF FE", "\u00ff\u00fe\u00ff\u00fe"),
            new Payload(Anomaly.BAD_UTF8, "surrogate ED A0 80", "\u00ed\u00a0\u0080"),
            new Payload(Anomaly.BAD_UTF8, "continuation bytes", "\u0080".repeat(32)),
            new Payload(Anomaly.BAD_UTF8, "5-byte form", "a\u00f8\u0088\u0080\u0080\u0080"),
            new Payload(Anomaly.CONTROL, "ANSI escape", "\u001b[2J\u001b[0m"),
            new Payload(Anomaly.CONTROL, "BEL BS VT FF", "\u0007\b\u000b\f"),
            new Payload(Anomaly.CONTROL, "DEL x8", "\u007f".repeat(8)),
            new Payload(Anomaly.SEPARATOR_CHARS, "space", " "),
            new Payload(Anomaly.SEPARATOR_CHARS, "a b", "a b"),
            new Payload(Anomaly.SEPARATOR_CHARS, ";;;;", ";;;;"),
            new Payload(Anomaly.SEPARATOR_CHARS, ",,,,", ",,,,"),
            new Payload(Anomaly.SEPARATOR_CHARS, "<<<>>>", "<<<>>>"),
            new Payload(Anomaly.SEPARATOR_CHARS, ":::", ":::"),
            new Payload(Anomaly.SEPARATOR_CHARS, "@@@", "@@@"),
            new Payload(Anomaly.SEPARATOR_CHARS, "quote", "\""),
            new Payload(Anomaly.SEPARATOR_CHARS, "backslash", "\\"),
            new Payload(Anomaly.SEPARATOR_CHARS, "apostrophe", "'"),
            new Payload(Anomaly.SEPARATOR_CHARS, "?&=", "?&="),
            new Payload(Anomaly.SEPARATOR_CHARS, "brackets", "[]{}()"),
            new Payload(Anomaly.CRLF_INJECTION, "CRLF CSeq", "x\r\nCSeq: 99 INVITE"),
            new Payload(Anomaly.CRLF_INJECTION, "CRLFCRLF request", "x\r\n\r\nINVITE sip:injected@example.org SIP/2.0"),
            new Payload(Anomaly.CRLF_INJECTION, "CR CSeq", "x\rCSeq: 98 INVITE"),
            // Read with or without bare LF as a line end, this is invalid: a second CSeq, another method.
            new Payload(Anomaly.CRLF_INJECTION, "LF CSeq", "x\nCSeq: 97 INVITE"),
            new Payload(Anomaly.ESCAPE, "%", "%"),
            new Payload(Anomaly.ESCAPE, "%4", "%4"),
            new Payload(Anomaly.ESCAPE, "%G1", "%G1"),
            new Payload(Anomaly.ESCAPE, "%zz", "%zz"),
            new Payload(Anomaly.ESCAPE, "a%", "a%"),
            new Payload(Anomaly.ESCAPE, "%00", "%00"),
            new Payload(Anomaly.ESCAPE, "%25%30", "%25%30"),
            new Payload(Anomaly.ESCAPE, "%%41", "%%41"),
            new Payload(Anomaly.EMPTY, "empty", ""));

    // ------------------------------------------------------------------ building

    private Mutant build(int index, Recipe r, Target t, SplittableRandom random) {
        Map<Field, String> values = new EnumMap<>(Field.class);
        return switch (r.anomaly()) {
            case MISSING_HEADER -> structural(index, r, missing(draft(r.base(), index, t, values), r.target()));
            case DUPLICATE_HEADER -> structural(index, r, duplicate(draft(r.base(), index, t, values), r.target()));
            case START_LINE -> structural(index, r, startLine(draft(r.base(), index, t, values), r.target(), r.base()));
            case BAD_SEPARATOR -> structural(index, r, separator(draft(r.base(), index, t, values), r.target()));
            case TRUNCATION -> truncated(index, r, draft(r.base(), index, t, values).render(), random);
            case BINARY_NOISE -> noise(index, r, draft(r.base(), index, t, values), random);
            case LINE_ENDINGS -> lineEnds(index, r, draft(r.base(), index, t, values).render());
            case MANY_HEADERS -> manyHeaders(index, r, draft(r.base(), index, t, values));
            default -> fieldValue(index, r, t);
        };
    }

    /** A structural break: the text and whether it broke the grammar. */
    private record Broken(String text, boolean broken) {
    }

    private Mutant structural(int index, Recipe r, Broken b) {
        return new Mutant(index, r.base(), r.anomaly(), r.target(), "", b.broken(), latin1(b.text()));
    }

    private Mutant fieldValue(int index, Recipe r, Target t) {
        Field field = Field.valueOf(r.target());
        Payload p = r.payload();
        Map<Field, String> values = new EnumMap<>(Field.class);
        Draft base = draft(r.base(), index, t, values);
        int bodyLength = base.body().length();
        String value = p.bytes();
        if (field == Field.CONTENT_LENGTH && p.anomaly() == Anomaly.CONTENT_LENGTH) {
            value = switch (p.name()) {
                case "+1" -> String.valueOf(bodyLength + 1);
                case "+999" -> String.valueOf(bodyLength + 999);
                case "-1 of the body" -> String.valueOf(Math.max(0, bodyLength - 1));
                default -> value;
            };
        }
        values.put(field, value);
        if (field == Field.METHOD) {
            values.put(Field.CSEQ_METHOD, value);
        }
        Draft mutated = draft(r.base(), index, t, values);
        boolean broken = breaks(field, value, r.base(), mutated.body().length());
        return new Mutant(index, r.base(), p.anomaly(), field.name(), p.name(), broken, latin1(mutated.render()));
    }

    /** Whether {@code value} in {@code field} certainly makes the request invalid. */
    private static boolean breaks(Field field, String v, Base base, int bodyLength) {
        return switch (field.kind) {
            case METHOD, TOKEN -> !isToken(v);
            case USER -> !isUser(v);
            case HOST -> v.isEmpty() || !v.chars().allMatch(c -> isAlnum(c) || c == '.' || c == '-');
            case PORT -> !isDigits(v) || exceeds(v, 65_535);
            case CSEQ -> !isDigits(v) || exceeds(v, 0xFFFF_FFFFL);
            case DIGITS -> !isDigits(v);
            case QUOTED -> !isUtf8Text(v) || v.indexOf('"') >= 0 || v.indexOf('\\') >= 0;
            case TEXT -> !isUtf8Text(v);
            case CALL_ID -> !isCallId(v);
            case VERSION -> !v.equalsIgnoreCase("SIP/2.0");
            case MEDIA_TYPE -> !(v.indexOf('/') > 0 && isToken(v.substring(0, v.indexOf('/')))
                    && isToken(v.substring(v.indexOf('/') + 1)));
            case MISMATCH -> !v.equals(base.name());
            // Shorter than the body: a datagram's extra octets are dropped (RFC 3261 §18.3). Longer: invalid.
            case LENGTH -> !isDigits(v) || exceeds(v, bodyLength);
            case BODY -> false;
        };
    }

    private Draft draft(Base base, int index, Target t, Map<Field, String> v) {
        String id = idOf(index);
        String method = v.getOrDefault(Field.METHOD, base.name());
        String host = v.getOrDefault(Field.REQUEST_HOST, t.gatewayHost());
        String port = v.getOrDefault(Field.REQUEST_PORT, String.valueOf(t.gatewayPort()));
        String uri = base == Base.REGISTER ? "sip:" + host + ":" + port
                : "sip:" + v.getOrDefault(Field.REQUEST_USER, "gw-" + marker) + "@" + host + ":" + port;
        String startLine = method + " " + uri + " " + v.getOrDefault(Field.VERSION, "SIP/2.0");
        String user = base == Base.REGISTER ? "pod-9" : "gw";
        String body = switch (base) {
            case INVITE -> "v=0\r\no=visitor 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
                    + "m=audio 40000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n";
            case INFO -> "Signal=5\r\nDuration=160\r\n";
            default -> "";
        };
        body = v.getOrDefault(Field.BODY, body);
        List<String[]> h = new ArrayList<>();
        h.add(header("Via", "SIP/2.0/" + v.getOrDefault(Field.VIA_TRANSPORT, t.transport()) + " "
                + v.getOrDefault(Field.VIA_HOST, t.viaHost()) + ":" + v.getOrDefault(Field.VIA_PORT,
                String.valueOf(t.viaPort())) + ";branch=" + v.getOrDefault(Field.VIA_BRANCH, "z9hG4bK" + id) + ";rport"));
        h.add(header("Subject", v.getOrDefault(Field.SUBJECT, marker + " " + id)));
        h.add(header("Max-Forwards", v.getOrDefault(Field.MAX_FORWARDS, "70")));
        h.add(header("From", "\"" + v.getOrDefault(Field.FROM_DISPLAY, "Visitor") + "\" <sip:"
                + v.getOrDefault(Field.FROM_USER, base == Base.REGISTER ? user : "visitor") + "@example.org>;tag="
                + v.getOrDefault(Field.FROM_TAG, id)));
        h.add(header("To", "<sip:" + v.getOrDefault(Field.TO_USER, user) + "@" + t.gatewayHost() + ">"
                + (base == Base.BYE || base == Base.INFO ? ";tag=gw" + id : "")));
        h.add(header("Call-ID", v.getOrDefault(Field.CALL_ID, id + "-" + marker + "@torture.example.org")));
        h.add(header("CSeq", v.getOrDefault(Field.CSEQ_NUMBER, String.valueOf(index + 1)) + " "
                + v.getOrDefault(Field.CSEQ_METHOD, base.name())));
        h.add(header("Contact", "<sip:" + v.getOrDefault(Field.CONTACT_USER, "visitor") + "@"
                + v.getOrDefault(Field.CONTACT_HOST, t.viaHost()) + ":"
                + v.getOrDefault(Field.CONTACT_PORT, String.valueOf(t.viaPort())) + ">"));
        if (base == Base.REGISTER) {
            h.add(header("Expires", v.getOrDefault(Field.EXPIRES, "3600")));
        }
        if (hasBody(base)) {
            h.add(header("Content-Type", v.getOrDefault(Field.CONTENT_TYPE,
                    base == Base.INVITE ? "application/sdp" : "application/dtmf-relay")));
        }
        h.add(header("Content-Length", v.getOrDefault(Field.CONTENT_LENGTH, String.valueOf(body.length()))));
        return new Draft(startLine, h, body);
    }

    private static String[] header(String name, String value) {
        return new String[] {name + ": ", value};
    }

    private static Broken missing(Draft d, String name) {
        List<String[]> h = new ArrayList<>(d.headers());
        h.remove(d.indexOf(name));
        boolean broken = MANDATORY.contains(name) || (name.equals("Content-Type") && !d.body().isEmpty());
        return new Broken(new Draft(d.startLine(), h, d.body()).render(), broken);
    }

    private static Broken duplicate(Draft d, String name) {
        int at = d.indexOf(name);
        List<String[]> h = new ArrayList<>(d.headers());
        String value = h.get(at)[1];
        String other = switch (name) {
            case "Via" -> "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKsecondhop";
            case "From" -> value.replaceFirst(";tag=", ";tag=other");
            case "To" -> value.replaceFirst("<sip:", "<sip:other");
            case "Call-ID" -> "other-" + value;
            case "CSeq" -> "7" + value;
            case "Max-Forwards" -> "12";
            case "Contact" -> "<sip:second@192.0.2.1:5060>";
            case "Content-Length" -> String.valueOf(d.body().length() + 4);
            default -> throw new IllegalArgumentException(name);
        };
        h.add(at + 1, header(name, other));
        boolean broken = !name.equals("Via") && !name.equals("Contact");
        return new Broken(new Draft(d.startLine(), h, d.body()).render(), broken);
    }

    private static Broken startLine(Draft d, String how, Base base) {
        String[] parts = d.startLine().split(" ", 3);
        String line = switch (how) {
            case "no method" -> " " + parts[1] + " " + parts[2];
            case "no request-uri" -> parts[0] + " " + parts[2];
            case "no version" -> parts[0] + " " + parts[1];
            case "extra element" -> d.startLine() + " SIP/2.0";
            case "tabs" -> parts[0] + "\t" + parts[1] + "\t" + parts[2];
            case "lower-case method" -> parts[0].toLowerCase(Locale.ROOT) + " " + parts[1] + " " + parts[2];
            case "response line" -> "SIP/2.0 200 OK";
            case "http request line" -> "GET /" + parts[1] + " HTTP/1.1";
            case "leading CRLF" -> CRLF + d.startLine();
            case "folded" -> parts[0] + CRLF + " " + parts[1] + " " + parts[2];
            case "trailing spaces" -> d.startLine() + "   ";
            case "double spaces" -> parts[0] + "  " + parts[1] + "  " + parts[2];
            case "NUL start line" -> "\0\0\0\0" + d.startLine();
            default -> d.startLine();
        };
        if (how.equals("headers only")) {
            return new Broken(d.render().substring(d.startLine().length() + 2), true);
        }
        if (how.equals("start line only")) {
            String[] subject = d.headers().get(d.indexOf("Subject"));
            return new Broken(d.startLine() + CRLF + subject[0] + subject[1] + CRLF + CRLF, true);
        }
        return new Broken(new Draft(line, d.headers(), d.body()).render(), !how.equals("leading CRLF"));
    }

    private static Broken separator(Draft d, String how) {
        List<String[]> h = new ArrayList<>(d.headers());
        String start = d.startLine();
        boolean broken = true;
        if (how.startsWith("no colon ")) {
            replace(h, how.substring("no colon ".length()), n -> n.replace(": ", " "), v -> v);
        } else {
            switch (how) {
                case "semicolon for colon" -> replace(h, "CSeq", n -> "CSeq; ", v -> v);
                case "equals for colon" -> replace(h, "Call-ID", n -> "Call-ID= ", v -> v);
                case "space in header name" -> replace(h, "Call-ID", n -> "Call ID: ", v -> v);
                case "commas in Via" -> replace(h, "Via", n -> n, v -> v.replace(';', ','));
                case "CSeq glued" -> replace(h, "CSeq", n -> n, v -> v.replace(" ", ""));
                case "CSeq slash" -> replace(h, "CSeq", n -> n, v -> v.replace(' ', '/'));
                case "From without >" -> replace(h, "From", n -> n, v -> v.replace(">", ""));
                case "hash for @" -> {
                    // REGISTER's Request-URI has no user: break the To URI's @ instead.
                    if (start.contains("@")) {
                        start = start.replace('@', '#');
                    } else {
                        replace(h, "To", n -> n, v -> v.replace('@', '#'));
                    }
                }
                case "backslashes in Via" -> replace(h, "Via", n -> n, v -> v.replace("SIP/2.0/", "SIP\\2.0\\"));
                case "space before colon" -> {
                    replace(h, "From", n -> "From  : ", v -> v);
                    broken = false;
                }
                case "no space after colon" -> {
                    replace(h, "From", n -> "From:", v -> v);
                    broken = false;
                }
                default -> throw new IllegalArgumentException(how);
            }
        }
        return new Broken(new Draft(start, h, d.body()).render(), broken);
    }

    private static void replace(List<String[]> h, String name, UnaryOperator<String> newName,
            UnaryOperator<String> newValue) {
        for (int i = 0; i < h.size(); i++) {
            if (h.get(i)[0].equals(name + ": ")) {
                h.set(i, new String[] {newName.apply(h.get(i)[0]), newValue.apply(h.get(i)[1])});
                return;
            }
        }
        throw new IllegalArgumentException("no header " + name);
    }

    /**
     * Cut after the first marker, so the marker stays. Broken when the cut loses the request line's
     * end, a mandatory header, a header's colon or whole value, part of the CSeq, or part of a body
     * whose Content-Length was kept (it then lies). A cut inside a value is otherwise not certain to
     * break it ({@code Call-ID: abc} cut to {@code Call-ID: ab} is still a Call-ID).
     */
    private Mutant truncated(int index, Recipe r, String text, SplittableRandom random) {
        int from = text.indexOf(marker) + marker.length();
        int cut = random.nextInt(from, text.length());
        int headEnd = text.indexOf(CRLF + CRLF);
        boolean broken = cut < text.indexOf(CRLF);
        for (String name : MANDATORY) {
            broken |= cut <= text.indexOf(CRLF + name + ": ") + 2;
        }
        if (cut < headEnd && text.charAt(cut - 1) != '\r') {
            int lineStart = text.lastIndexOf(CRLF, cut - 1) + 2;
            int lineEnd = text.indexOf(CRLF, lineStart);
            String fragment = text.substring(lineStart, cut);
            if (!fragment.isEmpty()) {
                int colon = fragment.indexOf(':');
                String name = colon < 0 ? "" : fragment.substring(0, colon);
                String value = colon < 0 ? "" : fragment.substring(colon + 1).strip();
                broken |= colon < 0 || (value.isEmpty() && !name.equals("Subject"));
                broken |= name.equals("CSeq") && cut < lineEnd;
            }
        }
        int contentLength = text.indexOf(CRLF + "Content-Length: ");
        broken |= headEnd + 4 < text.length() && cut > contentLength + 2;
        return new Mutant(index, r.base(), r.anomaly(), r.target(), "at " + cut, broken,
                latin1(text.substring(0, cut)));
    }

    private Mutant noise(int index, Recipe r, Draft d, SplittableRandom random) {
        StringBuilder noise = new StringBuilder();
        int length = random.nextInt(16, 1400);
        for (int i = 0; i < length; i++) {
            noise.append((char) random.nextInt(256));
        }
        // NUL and 0xFF are never valid in a header section.
        noise.insert(random.nextInt(noise.length()), '\0').insert(random.nextInt(noise.length()), '\u00ff');
        String text;
        boolean broken = true;
        switch (r.target()) {
            case "whole message" -> text = noise.insert(random.nextInt(noise.length()), marker).toString();
            case "inserted" -> {
                String rendered = d.render();
                int headEnd = rendered.indexOf(CRLF + CRLF);
                int line = rendered.indexOf(CRLF, random.nextInt(rendered.indexOf(CRLF), headEnd)) + 2;
                text = rendered.substring(0, line) + noise + rendered.substring(line);
            }
            default -> {
                // Octets after a datagram's Content-Length are discarded (RFC 3261 §18.3): still valid.
                text = d.render() + noise;
                broken = false;
            }
        }
        return new Mutant(index, r.base(), r.anomaly(), r.target(), length + " bytes", broken, latin1(text));
    }

    private static Mutant lineEnds(int index, Recipe r, String text) {
        String head = text.substring(0, text.indexOf(CRLF + CRLF) + 4);
        String body = text.substring(head.length());
        String changed = switch (r.target()) {
            case "LF" -> head.replace(CRLF, "\n");
            case "CR" -> head.replace(CRLF, "\r");
            default -> {
                StringBuilder sb = new StringBuilder();
                String[] lines = head.split(CRLF, -1);
                for (int i = 0; i < lines.length - 1; i++) {
                    sb.append(lines[i]).append(i % 2 == 0 ? "\n" : CRLF);
                }
                yield sb.toString();
            }
        };
        // A lone CR ends no line: the whole header section is one line. LF alone is read by many; not certain.
        return new Mutant(index, r.base(), r.anomaly(), r.target(), "", r.target().equals("CR"),
                latin1(changed + body));
    }

    private static Mutant manyHeaders(int index, Recipe r, Draft d) {
        List<String[]> h = new ArrayList<>(d.headers());
        int count = Integer.parseInt(r.target().substring(0, r.target().indexOf(' ')));
        for (int i = 0; i < count; i++) {
            h.add(1, r.target().contains("Vias")
                    ? header("Via", "SIP/2.0/UDP 192.0.2." + (i % 250 + 1) + ";branch=z9hG4bKhop" + i)
                    : header("X-Pad-" + i, "padding"));
        }
        // Many Vias below the top one make a long path, not a malformed message (the gateway may refuse it).
        return new Mutant(index, r.base(), r.anomaly(), r.target(), "", false,
                latin1(new Draft(d.startLine(), h, d.body()).render()));
    }

    // ------------------------------------------------------------------ grammar (RFC 3261 §25.1)

    private static boolean isAlnum(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isToken(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> isAlnum(c) || TOKEN_MARKS.indexOf(c) >= 0);
    }

    private static boolean isDigits(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean exceeds(String digits, long max) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        return trimmed.length() > 18 || Long.parseLong(trimmed) > max;
    }

    /** {@code user = 1*( unreserved / escaped / user-unreserved )}. */
    private static boolean isUser(String v) {
        if (v.isEmpty()) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%') {
                if (i + 2 >= v.length() || !isHex(v.charAt(i + 1)) || !isHex(v.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (!isAlnum(c) && USER_MARKS.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** {@code callid = word [ "@" word ]}. */
    private static boolean isCallId(String v) {
        String[] words = v.split("@", -1);
        if (words.length > 2) {
            return false;
        }
        for (String w : words) {
            if (w.isEmpty() || !w.chars().allMatch(c -> isAlnum(c) || WORD_MARKS.indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Valid UTF-8 without control characters (HTAB is whitespace). */
    private static boolean isUtf8Text(String latin1) {
        if (latin1.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
            return false;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(latin1(latin1)));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The variant index a response echoes in its branch, tag or Call-ID, or -1. */
    public static int idIn(String response) {
        Matcher m = ID.matcher(response);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
