package org.icgw.gateway.sip.b2bua;

import java.util.Optional;

/**
 * The dialed digits of an inmate's INVITE, read from its Request-URI user part and checked at the
 * edge, before a call starts: a dial string too long or with a character no keypad has never
 * reaches the policy or the store (style.md point 13; issue 10: a 200-digit number once stopped
 * every CDR behind it).
 *
 * <p>Accepted, after %XX escapes are decoded (RFC 3261 §19.1.2: {@code #} travels as
 * {@code %23}): digits, {@code +}, {@code *}, {@code #} and the visual separators of RFC 3966
 * §3 ({@code - . ( )}), at most {@link #MAX_LENGTH} characters.
 */
final class DialedDigits {

    /**
     * The longest dial string taken: an international prefix and the longest E.164 number (3 +
     * 15 digits), or a number written with separators ({@code +1 (573) 555-0123}), fit with room
     * to spare; the CDR's {@code dialed} column holds twice as much.
     */
    static final int MAX_LENGTH = 32;

    private DialedDigits() {
    }

    /** The dial string of {@code userPart}, decoded; empty when it is too long or not dialable. */
    static Optional<String> read(String userPart) {
        // Each escape is three characters for one: a longer user part cannot decode short enough.
        if (userPart.length() > 3 * MAX_LENGTH) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder(userPart.length());
        for (int i = 0; i < userPart.length(); i++) {
            char c = userPart.charAt(i);
            if (c == '%') {
                if (i + 2 >= userPart.length()) {
                    return Optional.empty();
                }
                int hi = Character.digit(userPart.charAt(i + 1), 16);
                int lo = Character.digit(userPart.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return Optional.empty();
                }
                c = (char) (hi * 16 + lo);
                i += 2;
            }
            if (!dialable(c)) {
                return Optional.empty();
            }
            out.append(c);
        }
        return out.length() <= MAX_LENGTH ? Optional.of(out.toString()) : Optional.empty();
    }

    private static boolean dialable(char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '*' || c == '#'
                || c == '-' || c == '.' || c == '(' || c == ')';
    }
}
