package org.icgw.policy.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Maps enums to and from their lower-case wire names ({@code direct_bill}, {@code time_limit}). */
public final class Wire {
    private Wire() {
    }

    /** The wire name of an enum constant: its name in lower case. */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name.
     *
     * @throws IllegalArgumentException naming the allowed values when {@code value} is not one
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        if (value != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(value)) {
                    return e;
                }
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants()).map(Wire::name)
                .collect(Collectors.joining(", "));
        throw new IllegalArgumentException("'" + value + "' is not one of: " + allowed);
    }
}
