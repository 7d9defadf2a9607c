package org.icgw.gateway.sip.torture;

import java.util.Optional;
import java.util.regex.Pattern;

/** Reading what the gateway sent back in torture tests, and what must never be in it. */
public final class Answers {

    /** A reason phrase as RFC 3261 §21 writes them: short, plain words. */
    private static final Pattern PLAIN_REASON = Pattern.compile("[A-Za-z0-9 ,.'/()+-]{0,64}");
    /** What Java leaks into text: array identities ({@code [C@27958f7c}), exceptions, class names. */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\[[A-Za-z]@|Exception|\\bjava\\.|\\bjavax\\.|gov\\.nist|org\\.icgw|\\.java\\b");
    /** Characters of a message shown in a report. */
    private static final int SHOWN = 120;

    private Answers() {
    }

    /** Whether a message is a response: {@code SIP/2.0} and a three-digit status. */
    public static boolean isResponse(String message) {
        return message.length() >= 12 && message.startsWith("SIP/2.0 ")
                && message.substring(8, 11).chars().allMatch(Character::isDigit) && message.charAt(11) == ' ';
    }

    public static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    /** The status line. */
    public static String statusLine(String message) {
        int end = message.indexOf("\r\n");
        return end < 0 ? message : message.substring(0, end);
    }

    /** The reason phrase. */
    public static String reason(String response) {
        return statusLine(response).substring(12);
    }

    /** The body (what follows the empty line). */
    public static String body(String message) {
        int end = message.indexOf("\r\n\r\n");
        return end < 0 ? "" : message.substring(end + 4);
    }

    /** What is wrong with a response's reason phrase, if anything: internals, or not a short plain phrase. */
    public static Optional<String> reasonProblem(String response) {
        String reason = reason(response);
        if (INTERNALS.matcher(reason).find() || !PLAIN_REASON.matcher(reason).matches()) {
            return Optional.of("reason phrase not a fixed plain phrase: " + shown(statusLine(response)));
        }
        return Optional.empty();
    }

    /** The start of a message for a report, non-printable bytes as {@code ?}. */
    public static String shown(String message) {
        String head = message.length() > SHOWN ? message.substring(0, SHOWN) + "..." : message;
        return head.replaceAll("[^ -~]", "?");
    }
}
