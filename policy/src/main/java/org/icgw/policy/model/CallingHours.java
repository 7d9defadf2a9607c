package org.icgw.policy.model;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When a facility allows calls, in its own time zone: a list of windows, each a set of days and a
 * time range. A range whose end is not after its start runs past midnight into the next day.
 *
 * <p>Written as text: {@code "07:00-22:00"} (every day), or windows separated by commas, each
 * optionally led by days: {@code "mon-fri 07:00-22:00, sat,sun 09:00-21:00"}.
 */
public record CallingHours(List<Window> windows) {

    /** One window: the days it opens on and the local time range. */
    public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
        public Window {
            days = Set.copyOf(days);
        }

        boolean covers(LocalDateTime local) {
            LocalTime t = local.toLocalTime();
            if (from.isBefore(to)) {
                return days.contains(local.getDayOfWeek()) && !t.isBefore(from) && t.isBefore(to);
            }
            boolean lateToday = days.contains(local.getDayOfWeek()) && !t.isBefore(from);
            boolean earlyAfterYesterday = days.contains(local.getDayOfWeek().minus(1)) && t.isBefore(to);
            return lateToday || earlyAfterYesterday;
        }
    }

    /** Calls at any time. */
    public static final CallingHours ALWAYS = parse("00:00-00:00");

    public CallingHours {
        windows = List.copyOf(windows);
    }

    /** Whether a call may start at this local date and time. */
    public boolean allows(LocalDateTime local) {
        for (Window w : windows) {
            if (w.covers(local)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses the text form.
     *
     * @throws IllegalArgumentException saying which part is wrong
     */
    public static CallingHours parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("calling hours are empty; expected e.g. \"07:00-22:00\"");
        }
        List<Window> out = new ArrayList<>();
        // Windows are split at a comma that ends a time range; commas in a day list follow a letter.
        for (String part : text.split("(?<=\\d)\\s*,")) {
            out.add(parseWindow(part.trim()));
        }
        return new CallingHours(out);
    }

    private static Window parseWindow(String part) {
        int space = part.lastIndexOf(' ');
        String range = space < 0 ? part : part.substring(space + 1);
        Set<DayOfWeek> days = space < 0 ? EnumSet.allOf(DayOfWeek.class) : parseDays(part.substring(0, space).trim());
        String[] ends = range.split("-");
        if (ends.length != 2) {
            throw new IllegalArgumentException("'" + part + "' has no time range HH:MM-HH:MM");
        }
        try {
            return new Window(days, LocalTime.parse(ends[0].trim()), LocalTime.parse(ends[1].trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + range + "' is not a time range HH:MM-HH:MM", e);
        }
    }

    private static Set<DayOfWeek> parseDays(String spec) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : spec.split("[,\\s]+")) {
            String[] ends = item.split("-");
            DayOfWeek first = day(ends[0]);
            DayOfWeek last = ends.length > 1 ? day(ends[1]) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (n.length() >= 3 && d.name().startsWith(n)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a day of the week");
    }

    /** The text form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Window w : windows) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            if (w.days().size() < 7) {
                StringBuilder ds = new StringBuilder();
                for (DayOfWeek d : DayOfWeek.values()) {
                    if (w.days().contains(d)) {
                        if (!ds.isEmpty()) {
                            ds.append(',');
                        }
                        ds.append(d.name(), 0, 3).append("");
                    }
                }
                sb.append(ds.toString().toLowerCase(Locale.ROOT)).append(' ');
            }
            sb.append(w.from()).append('-').append(w.to());
        }
        return sb.toString();
    }
}
