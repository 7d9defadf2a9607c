package org.icgw.gateway.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in the configuration: a whole number with a unit,
 * {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT45S}).
 */
public final class Durations {

    /** What the operator is told when a duration is not understood. */
    public static final String FORMS = "use 500ms, 5s, 2m, 1h or ISO-8601 such as PT45S";

    private static final Pattern SHORT = Pattern.compile("([0-9]{1,9})\\s*(ms|s|m|h)");

    private Durations() {
    }

    /** The duration {@code text} stands for, or empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
        }
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Optional.of(Duration.parse(t));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The shortest text {@link #parse} reads back as {@code d}: {@code 45s}, {@code 500ms}, {@code 2m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0 && ms != 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms != 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
