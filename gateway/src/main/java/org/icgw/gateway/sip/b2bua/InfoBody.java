package org.icgw.gateway.sip.b2bua;

import java.util.Locale;
import java.util.Optional;

/**
 * What a SIP INFO carries for the call: a keypad digit or a hook flash. Two bodies are read:
 * {@code application/dtmf-relay} ({@code Signal=5}, {@code Signal=16} or {@code Signal=!} for a
 * flash, as Cisco and most ATAs send) and {@code application/dtmf} (the digit alone); plus
 * {@code application/hook-flash}, which is a flash whatever its body.
 */
public sealed interface InfoBody {

    /** The content types understood, for the {@code Accept} of a 415. */
    String ACCEPT = "application/dtmf-relay, application/dtmf, application/hook-flash";

    /** A keypad digit: {@code 0-9 * # A-D}. */
    record Digit(char digit) implements InfoBody {
    }

    /** A hook flash (RFC 4733 event 16). */
    record Flash() implements InfoBody {
    }

    /** An INFO without a body (a keep-alive): answered 200, nothing for the call. */
    record Empty() implements InfoBody {
    }

    /** A content type the gateway does not read (answer 415). */
    record Unsupported(String contentType) implements InfoBody {
    }

    /** A known content type whose body makes no sense (answer 400). */
    record Malformed(String detail) implements InfoBody {
    }

    /**
     * Reads an INFO body.
     *
     * @param contentType {@code type/subtype}, without parameters; empty when the INFO had no body
     */
    static InfoBody read(Optional<String> contentType, String body) {
        String type = contentType.map(t -> t.toLowerCase(Locale.ROOT).trim()).orElse("");
        if (body.isBlank() && !type.equals("application/hook-flash")) {
            return type.isEmpty() ? new Empty() : new Malformed("empty body");
        }
        return switch (type) {
            case "application/dtmf-relay" -> relay(body);
            case "application/dtmf" -> signal(body.trim());
            case "application/hook-flash" -> new Flash();
            default -> new Unsupported(type);
        };
    }

    private static InfoBody relay(String body) {
        for (String line : body.split("\r?\n")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).trim().equalsIgnoreCase("signal")) {
                return signal(line.substring(eq + 1).trim());
            }
        }
        return new Malformed("no Signal= line");
    }

    /** A signal as text: a keypad character, a flash ({@code !}), or an RFC 4733 event number. */
    private static InfoBody signal(String value) {
        if (value.length() == 1) {
            char c = Character.toUpperCase(value.charAt(0));
            if ((c >= '0' && c <= '9') || c == '*' || c == '#' || (c >= 'A' && c <= 'D')) {
                return new Digit(c);
            }
            if (c == '!') {
                return new Flash();
            }
        }
        if (value.matches("1[0-6]")) {
            // RFC 4733 §3.2 event codes: 10 '*', 11 '#', 12-15 'A'-'D', 16 flash.
            int event = Integer.parseInt(value);
            return event == 16 ? new Flash() : new Digit("*#ABCD".charAt(event - 10));
        }
        return new Malformed("signal '" + value + "'");
    }
}
