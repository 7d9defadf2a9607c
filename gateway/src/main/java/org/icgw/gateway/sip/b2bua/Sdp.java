package org.icgw.gateway.sip.b2bua;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Vector;
import javax.sdp.Attribute;
import javax.sdp.Connection;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;
import org.icgw.gateway.call.MediaDescription;
import org.icgw.gateway.call.MediaDescription.Direction;

/**
 * The gateway's SDP offer/answer (RFC 3264) for G.711 audio with RFC 4733 telephone events.
 * Parsing uses JAIN-SIP's {@code javax.sdp}; the gateway's own descriptions are written as text.
 *
 * <p>From a peer's description the first {@code audio} stream on {@code RTP/AVP} with a non-zero
 * port is used, and in it the first of PCMU (0) or PCMA (8) in the peer's order (RFC 3264 §6.1:
 * the offerer lists its preference first). An answer keeps one {@code m=} line per offered line,
 * refusing the others with port 0 (RFC 3264 §6).
 */
public final class Sdp {

    /** The telephone-event payload type the gateway offers when it chooses one. */
    public static final int DEFAULT_TELEPHONE_EVENT_PT = 101;

    private static final SdpFactory FACTORY = SdpFactory.getInstance();

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
            // RFC 4566 §5: a description begins with the version line; NIST's parser would skip junk.
            return new Unusable(Problem.MALFORMED, "no v= line first");
        }
        SessionDescription sd;
        Vector<?> mediaDescriptions;
        try {
            sd = FACTORY.createSessionDescription(text);
            mediaDescriptions = sd.getMediaDescriptions(false);
        } catch (SdpException | RuntimeException e) {
            return new Unusable(Problem.MALFORMED, String.valueOf(e.getMessage()));
        }
        if (mediaDescriptions == null || mediaDescriptions.isEmpty()) {
            return new Unusable(Problem.NO_COMMON_CODEC, "no m= line");
        }
        try {
            Direction sessionDirection = direction(sd.getAttributes(false)).orElse(Direction.SENDRECV);
            Optional<String> sessionAddress = Optional.ofNullable(sd.getConnection()).map(Sdp::address);
            List<MediaLine> lines = new ArrayList<>();
            MediaDescription chosen = null;
            int audioLine = -1;
            for (Object o : mediaDescriptions) {
                javax.sdp.MediaDescription md = (javax.sdp.MediaDescription) o;
                var media = md.getMedia();
                Vector<?> formats = media.getMediaFormats(false);
                String first = formats == null || formats.isEmpty() ? "0" : formats.get(0).toString().trim();
                lines.add(new MediaLine(media.getMediaType(), media.getProtocol(), first));
                if (chosen != null || !"audio".equalsIgnoreCase(media.getMediaType())
                        || !"RTP/AVP".equalsIgnoreCase(media.getProtocol()) || media.getMediaPort() == 0
                        || formats == null) {
                    continue;
                }
                Map<Integer, String> rtpmap = rtpmap(md.getAttributes(false));
                int g711 = -1;
                for (Object f : formats) {
                    int pt = parsePt(f.toString());
                    if ((pt == 0 || pt == 8) && g711Name(pt).equals(rtpmap.getOrDefault(pt, g711Name(pt)))) {
                        g711 = pt;
                        break;
                    }
                }
                if (g711 < 0) {
                    continue;
                }
                int events = -1;
                for (Object f : formats) {
                    int pt = parsePt(f.toString());
                    if (pt >= 96 && pt <= 127 && "telephone-event/8000".equals(rtpmap.get(pt))) {
                        events = pt;
                        break;
                    }
                }
                Optional<String> address = Optional.ofNullable(md.getConnection()).map(Sdp::address).or(() -> sessionAddress);
                if (address.isEmpty()) {
                    return new Unusable(Problem.MALFORMED, "no c= line for the audio stream");
                }
                Direction direction = direction(md.getAttributes(false)).orElse(sessionDirection);
                Optional<InetAddress> host = mediaAddress(address.get());
                if (host.isEmpty()) {
                    return new Unusable(Problem.MALFORMED, "c= is not a unicast IP address");
                }
                InetSocketAddress rtp = new InetSocketAddress(host.get(), media.getMediaPort());
                chosen = new MediaDescription(rtp, g711, events, direction);
                audioLine = lines.size() - 1;
            }
            if (chosen == null) {
                return new Unusable(Problem.NO_COMMON_CODEC, "no audio stream with PCMU or PCMA");
            }
            return new Usable(new Negotiated(chosen, List.copyOf(lines), audioLine));
        } catch (SdpException | RuntimeException e) {
            return new Unusable(Problem.MALFORMED, String.valueOf(e.getMessage()));
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

    /** The limited broadcast address, never a peer's media address. */
    private static final InetAddress BROADCAST = InetAddress.ofLiteral("255.255.255.255");

    /**
     * The media address of a {@code c=} line: an IP literal only, never a name to resolve (the
     * peer would choose which DNS lookups the gateway makes), and never multicast or broadcast
     * (the relay would send a call's audio to a group). {@code 0.0.0.0} is kept: it is the old
     * hold signal (RFC 3264 §8.4) the three-way detector reads.
     */
    static Optional<InetAddress> mediaAddress(String text) {
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(text.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (address.isMulticastAddress() || address.equals(BROADCAST)) {
            return Optional.empty();
        }
        return Optional.of(address);
    }

    private static String address(Connection c) {
        try {
            return c.getAddress();
        } catch (SdpException e) {
            throw new IllegalArgumentException("bad c= line", e);
        }
    }

    /** {@code rtpmap} attributes: payload type to {@code encoding/clock} (upper-case G.711 names). */
    private static Map<Integer, String> rtpmap(Vector<?> attributes) throws SdpException {
        Map<Integer, String> map = new HashMap<>();
        if (attributes == null) {
            return map;
        }
        for (Object o : attributes) {
            Attribute a = (Attribute) o;
            if (!"rtpmap".equalsIgnoreCase(a.getName()) || a.getValue() == null) {
                continue;
            }
            String[] parts = a.getValue().trim().split("\\s+", 2);
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

    private static Optional<Direction> direction(Vector<?> attributes) throws SdpException {
        if (attributes == null) {
            return Optional.empty();
        }
        for (Object o : attributes) {
            String name = ((Attribute) o).getName();
            for (Direction d : Direction.values()) {
                if (d.attribute().equalsIgnoreCase(name)) {
                    return Optional.of(d);
                }
            }
        }
        return Optional.empty();
    }
}
