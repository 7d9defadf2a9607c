package org.icgw.media.dtmf;

/**
 * DTMF event codes of RFC 4733 section 3.2 (table 3, taken over from RFC 4734) and their
 * characters.
 *
 * <p>Events 0-9 are the digits, 10 is {@code *}, 11 is {@code #}, 12-15 are {@code A}-{@code D}
 * and 16 is a hook flash, written {@code !} here as in Asterisk and most SIP INFO bodies.
 */
public final class Dtmf {
    /** RFC 4733 table 3: event code of the hook flash. */
    public static final int FLASH_EVENT = 16;
    /** Character used for the hook flash. */
    public static final char FLASH_CHAR = '!';
    /** Returned by {@link #eventToChar(int)} for an event that is neither a DTMF key nor flash. */
    public static final char NONE = '\0';

    private static final String KEYS = "0123456789*#ABCD";

    private Dtmf() {
    }

    /**
     * Character of an RFC 4733 event: {@code '0'}-{@code '9'}, {@code '*'}, {@code '#'},
     * {@code 'A'}-{@code 'D'}, {@link #FLASH_CHAR} for 16, {@link #NONE} for any other code.
     */
    public static char eventToChar(int event) {
        if (event >= 0 && event < KEYS.length()) {
            return KEYS.charAt(event);
        }
        return event == FLASH_EVENT ? FLASH_CHAR : NONE;
    }

    /**
     * RFC 4733 event code of a key character (lower-case {@code a}-{@code d} accepted), or -1
     * when the character is not a DTMF key or the flash.
     */
    public static int charToEvent(char c) {
        if (c == FLASH_CHAR) {
            return FLASH_EVENT;
        }
        return KEYS.indexOf(Character.toUpperCase(c));
    }

    /** True for the sixteen DTMF key events 0-15 (not the flash). */
    public static boolean isKey(int event) {
        return event >= 0 && event < KEYS.length();
    }
}
