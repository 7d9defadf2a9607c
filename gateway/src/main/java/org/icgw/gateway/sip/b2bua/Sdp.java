package org.icgw.gateway.sip.b2bua;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.icgw.gateway.call.MediaDescription;
import org.icgw.gateway.call.MediaDescription.Direction;

/**
 * The gateway's SDP offer/answer (RFC 3264) for G.711 audio with RFC 4733 telephone events.
 * A peer's description is read line by line for what offer/answer needs; the gateway's own
 * descriptions are written as text.
 *
 * <p>From a peer's description the first {@code audio} stream on {@code RTP/AVP} with a non-zero
 * port is used, and in it the first of PCMU (0) or PCMA (8) in the peer's order (RFC 3264 §6.1:
 * the offerer lists its preference first). An answer keeps one {@code m=} line per offered line,
 * refusing the others with port 0 (RFC 3264 §6).
 */
public final class Sdp {

    /** The telephone-event payload type the gateway offers when it chooses one. */
    public static final int DEFAULT_TELEPHONE_EVENT_PT = 101;

    /** RFC 919: the one broadcast address recognisable without knowing the peer's subnet. */
    private static final String LIMITED_BROADCAST = "255.255.255.255";
    private static final Pattern LINE_BREAK = Pattern.compile("\\r?\\n");
    /** RFC 4566 §9: {@code token}; {@code /} too, for the protocol ({@code RTP/AVP}). */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.0-9A-Z^_`a-z{|}~/]+");
    private static final Pattern PORT = Pattern.compile("([0-9]{1,5})(/[0-9]{1,5})?");
    private static final int MAX_PORT = 65_535;
    private static final Pattern DOTTED_QUAD = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private Sdp() {
    }

    /** One {@code m=} line as offered: what an answer must mirror. */
    public record MediaLine(String media, String protocol, String firstFormat) {
    }

    /**
     * A usable peer description: the chosen stream, and the lines it had.
     *
     * @param chosen    the peer's side: its RTP address, the G.711 PT chosen, its telephone-event
     *                  PT (or -1) and direction
     * @param audioLine index of the chosen line among {@code lines}
     */
    public record Negotiated(MediaDescription chosen, List<MediaLine> lines, int audioLine) {
    }

    /** Why a description cannot be used. */
    public enum Problem {
        /** Not SDP, or SDP the parser refuses. */
        MALFORMED,
        /** No audio stream with PCMU or PCMA (answer 488). */
        NO_COMMON_CODEC
    }

    /** The outcome of reading a peer's description. */
    public sealed interface Reading {
    }

    /** A usable description. */
    public record Usable(Negotiated negotiated) implements Reading {
    }

    /** An unusable description and why. */
    public record Unusable(Problem problem, String detail) implements Reading {
    }

    /** Reads a peer's offer or answer. */
    public static Reading read(String text) {
        if (!text.stripLeading().startsWith("v=")) {
            // RFC 4566 §5: a description begins with the version line.
            return new Unusable(Problem.MALFORMED, "no v= line first");
        }
        Description sd;
        try {
            sd = Description.of(text);
        } catch (IllegalArgumentException e) {
            return new Unusable(Problem.MALFORMED, e.getMessage());
        }
        if (sd.media().isEmpty()) {
            return new Unusable(Problem.NO_COMMON_CODEC, "no m= line");
        }
        Direction sessionDirection = direction(sd.attributes()).orElse(Direction.SENDRECV);
        List<MediaLine> lines = new ArrayList<>();
        MediaDescription chosen = null;
        int audioLine = -1;
        for (MediaBlock md : sd.media()) {
            List<String> formats = md.formats();
            lines.add(new MediaLine(md.type(), md.protocol(), formats.isEmpty() ? "0" : formats.get(0)));
            if (chosen != null || !"audio".equalsIgnoreCase(md.type()) || !"RTP/AVP".equalsIgnoreCase(md.protocol())
                    || md.port() == 0) {
                continue;
            }
            Map<Integer, String> rtpmap = rtpmap(md.attributes());
            int g711 = -1;
            for (String f : formats) {
                int pt = parsePt(f);
                if ((pt == 0 || pt == 8) && g711Name(pt).equals(rtpmap.getOrDefault(pt, g711Name(pt)))) {
                    g711 = pt;
                    break;
                }
            }
            if (g711 < 0) {
                continue;
            }
            int events = -1;
            for (String f : formats) {
                int pt = parsePt(f);
                if (pt >= 96 && pt <= 127 && "telephone-event/8000".equals(rtpmap.get(pt))) {
                    events = pt;
                    break;
                }
            }
            Optional<String> address = md.connection().or(sd::connection);
            if (address.isEmpty()) {
                return new Unusable(Problem.MALFORMED, "no c= line for the audio stream");
            }
            Optional<InetAddress> peer = unicastLiteral(address.get());
            if (peer.isEmpty()) {
                return new Unusable(Problem.MALFORMED, "c= address is not a unicast IP address");
            }
            Direction direction = direction(md.attributes()).orElse(sessionDirection);
            chosen = new MediaDescription(new InetSocketAddress(peer.get(), md.port()), g711, events, direction);
            audioLine = lines.size() - 1;
        }
        if (chosen == null) {
            return new Unusable(Problem.NO_COMMON_CODEC, "no audio stream with PCMU or PCMA");
        }
        return new Usable(new Negotiated(chosen, List.copyOf(lines), audioLine));
    }

    /**
     * The lines of a description that offer/answer needs (RFC 4566 §5): the session's {@code c=}
     * and {@code a=} lines and one block per {@code m=} line. Read here rather than by JAIN-SIP's
     * SDP parser, whose field parsers print a stack trace to stderr for every line they refuse
     * (found by SdpFuzzTest): a peer could write some 60 log lines per malformed offer.
     */
    private record Description(Optional<String> connection, List<String> attributes, List<MediaBlock> media) {

        static Description of(String text) {
            Optional<String> connection = Optional.empty();
            List<String> attributes = new ArrayList<>();
            List<MediaBlock> media = new ArrayList<>();
            boolean first = true;
            for (String line : LINE_BREAK.split(text.strip())) {
                if (line.isEmpty()) {
                    continue;
                }
                if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                    throw new IllegalArgumentException("a line is not <type>=<value>");
                }
                char type = line.charAt(0);
                String value = line.substring(2);
                if (first) {
                    if (type != 'v' || !value.strip().equals("0")) {
                        throw new IllegalArgumentException("v= is not 0");
                    }
                    first = false;
                } else if (type == 'm') {
                    media.add(MediaBlock.of(value));
                } else if (type == 'c') {
                    String address = connectionAddress(value);
                    if (media.isEmpty()) {
                        connection = Optional.of(address);
                    } else {
                        media.set(media.size() - 1, media.getLast().withConnection(address));
                    }
                } else if (type == 'a') {
                    (media.isEmpty() ? attributes : media.getLast().attributes()).add(value);
                }
            }
            return new Description(connection, attributes, media);
        }

        /** {@code c=<nettype> <addrtype> <connection-address>} (RFC 4566 §5.7). */
        private static String connectionAddress(String value) {
            String[] parts = value.strip().split("\\s+");
            if (parts.length != 3 || !parts[0].equals("IN") || !(parts[1].equals("IP4") || parts[1].equals("IP6"))) {
                throw new IllegalArgumentException("c= is not IN IP4|IP6 <address>");
            }
            return parts[2];
        }
    }

    /** One {@code m=} line with the {@code c=} and {@code a=} lines after it. */
    private record MediaBlock(String type, int port, String protocol, List<String> formats, Optional<String> connection,
                              List<String> attributes) {

        /** {@code m=<media> <port>[/<count>] <proto> <fmt> ...} (RFC 4566 §5.14); tokens only. */
        static MediaBlock of(String value) {
            String[] parts = value.strip().split("\\s+");
            if (parts.length < 3) {
                throw new IllegalArgumentException("m= has no media, port and protocol");
            }
            for (String part : parts) {
                if (!TOKEN.matcher(part).matches()) {
                    throw new IllegalArgumentException("m= has a field that is not a token");
                }
            }
            Matcher port = PORT.matcher(parts[1]);
            if (!port.matches() || Integer.parseInt(port.group(1)) > MAX_PORT) {
                throw new IllegalArgumentException("m= port is not 0-65535");
            }
            return new MediaBlock(parts[0], Integer.parseInt(port.group(1)), parts[2],
                    List.of(parts).subList(3, parts.length), Optional.empty(), new ArrayList<>());
        }

        MediaBlock withConnection(String address) {
            return new MediaBlock(type, port, protocol, formats, Optional.of(address), attributes);
        }
    }

    /**
     * The gateway's offer: {@code local}'s codec first, the other G.711 law second, and
     * {@code local}'s telephone-event payload type.
     */
    public static String offer(MediaDescription local, long sessionId, long version) {
        int other = local.payloadType() == 0 ? 8 : 0;
        StringBuilder sb = header(local, sessionId, version);
        appendAudio(sb, local, List.of(local.payloadType(), other), local.telephoneEventPt());
        return sb.toString();
    }

    /**
     * The gateway's answer to {@code offer}: the chosen codec only, telephone events only when
     * offered (with the offerer's payload type), and the other offered lines refused with port 0.
     *
     * @param local the gateway's side; its direction answers the offer's (see {@link #answerDirection})
     */
    public static String answer(MediaDescription local, Negotiated offer, long sessionId, long version) {
        StringBuilder sb = header(local, sessionId, version);
        for (int i = 0; i < offer.lines().size(); i++) {
            MediaLine line = offer.lines().get(i);
            if (i == offer.audioLine()) {
                appendAudio(sb, local, List.of(offer.chosen().payloadType()), offer.chosen().telephoneEventPt());
            } else {
                sb.append("m=").append(line.media()).append(" 0 ").append(line.protocol()).append(' ')
                        .append(line.firstFormat()).append("\r\n");
            }
        }
        return sb.toString();
    }

    /** The direction that answers an offered one (RFC 3264 §6.1). */
    public static Direction answerDirection(Direction offered) {
        return switch (offered) {
            case SENDRECV -> Direction.SENDRECV;
            case SENDONLY -> Direction.RECVONLY;
            case RECVONLY -> Direction.SENDONLY;
            case INACTIVE -> Direction.INACTIVE;
        };
    }

    private static StringBuilder header(MediaDescription local, long sessionId, long version) {
        String address = local.rtp().getAddress().getHostAddress();
        String family = local.rtp().getAddress() instanceof java.net.Inet6Address ? "IP6" : "IP4";
        return new StringBuilder()
                .append("v=0\r\n")
                .append("o=icgw ").append(sessionId).append(' ').append(version).append(" IN ").append(family)
                .append(' ').append(address).append("\r\n")
                .append("s=icgw\r\n")
                .append("c=IN ").append(family).append(' ').append(address).append("\r\n")
                .append("t=0 0\r\n");
    }

    private static void appendAudio(StringBuilder sb, MediaDescription local, List<Integer> codecs, int eventsPt) {
        sb.append("m=audio ").append(local.rtp().getPort()).append(" RTP/AVP");
        codecs.forEach(pt -> sb.append(' ').append(pt));
        if (eventsPt >= 0) {
            sb.append(' ').append(eventsPt);
        }
        sb.append("\r\n");
        codecs.forEach(pt -> sb.append("a=rtpmap:").append(pt).append(' ').append(g711Name(pt)).append("\r\n"));
        if (eventsPt >= 0) {
            // RFC 4733 §7.1.1: events 0-15 are the keypad, 16 the hook flash.
            sb.append("a=rtpmap:").append(eventsPt).append(" telephone-event/8000\r\n");
            sb.append("a=fmtp:").append(eventsPt).append(" 0-16\r\n");
        }
        sb.append("a=ptime:20\r\n");
        sb.append("a=").append(local.direction().attribute()).append("\r\n");
    }

    private static String g711Name(int pt) {
        return pt == 0 ? "PCMU/8000" : "PCMA/8000";
    }

    private static int parsePt(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The address a {@code c=} line names, when it is an IP literal and not a multicast or the
     * limited broadcast address. A host name is refused, never resolved: nothing taken from a
     * message decides what the gateway looks up (an empty address would have been resolved to
     * loopback; found by SdpFuzzTest). {@code 0.0.0.0} stays: RFC 2543 hold (RFC 3264 §8.4).
     */
    static Optional<InetAddress> unicastLiteral(String text) {
        String literal = text.trim();
        if (literal.indexOf(':') < 0 && !DOTTED_QUAD.matcher(literal).matches()) {
            return Optional.empty(); // RFC 4566 §5.7: IP4 addresses in dotted-decimal form
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException notLiteral) {
            return Optional.empty();
        }
        if (address.isMulticastAddress() || address.getHostAddress().equals(LIMITED_BROADCAST)) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    /** {@code rtpmap} attributes: payload type to {@code encoding/clock} (upper-case G.711 names). */
    private static Map<Integer, String> rtpmap(List<String> attributes) {
        Map<Integer, String> map = new HashMap<>();
        for (String a : attributes) {
            int colon = a.indexOf(':');
            if (colon < 0 || !a.substring(0, colon).strip().equalsIgnoreCase("rtpmap")) {
                continue;
            }
            String[] parts = a.substring(colon + 1).trim().split("\\s+", 2);
            if (parts.length == 2) {
                String encoding = parts[1].trim();
                String[] nameRate = encoding.split("/");
                String normal = nameRate.length >= 2
                        ? (nameRate[0].equalsIgnoreCase("telephone-event") ? "telephone-event"
                        : nameRate[0].toUpperCase(Locale.ROOT)) + "/" + nameRate[1]
                        : encoding;
                map.put(parsePt(parts[0]), normal);
            }
        }
        return map;
    }

    private static Optional<Direction> direction(List<String> attributes) {
        for (String a : attributes) {
            int colon = a.indexOf(':');
            String name = (colon < 0 ? a : a.substring(0, colon)).strip();
            for (Direction d : Direction.values()) {
                if (d.attribute().equalsIgnoreCase(name)) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }
}
