package org.icgw.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.icgw.policy.model.Wire;

/**
 * One object of a seed file or an API body, read strictly: a member it does not know, a value of
 * the wrong type or a missing required member is a {@link ValidationException} naming the member
 * by its path ({@code inmates[3].status}, {@code digit_map.accept}, {@code allowed_numbers[1]}).
 * Shared by the seed loader (YAML) and the admin API (JSON), which differ only in their words.
 */
public class StrictObject {

    /** How problems are worded for one kind of input. */
    public record Words(String member, String object, String quoteHint) {
        /** A YAML seed file: keys in mappings; unquoted numbers are the usual mistake. */
        public static final Words YAML = new Words("key", "a mapping of keys to values",
                " (quote numbers such as \"+15735550123\")");
        /** A JSON request body: members of objects. */
        public static final Words JSON = new Words("member", "a JSON object", "");
    }

    private final JsonNode node;
    private final String path;
    private final Words words;

    /**
     * @param path    where this object is, for messages: empty at the top, else its path
     * @param allowed the members it may have
     */
    public StrictObject(JsonNode node, String path, Set<String> allowed, Words words) {
        if (node == null || !node.isObject()) {
            throw new ValidationException(path.isEmpty() ? "body" : path, "must be " + words.object());
        }
        this.node = node;
        this.path = path;
        this.words = words;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.isEmpty()) {
                // Named by where it is: an empty name would name no field (found by JsonBodyFuzzTest).
                throw new ValidationException(path.isEmpty() ? "body" : path, "has a " + words.member()
                        + " with an empty name");
            }
            if (!allowed.contains(key)) {
                throw new ValidationException(path(key), "unknown " + words.member() + "; expected one of "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
    }

    /** The path of a member, for a message. */
    public final String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public final boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** A nested object member, read as strictly. */
    public final Optional<StrictObject> object(String key, Set<String> allowed) {
        return has(key) ? Optional.of(new StrictObject(node.get(key), path(key), allowed, words)) : Optional.empty();
    }

    private JsonNode required(String key) {
        if (!has(key)) {
            throw new ValidationException(path(key), "is required");
        }
        return node.get(key);
    }

    public final String text(String key) {
        JsonNode v = required(key);
        if (!v.isTextual()) {
            throw new ValidationException(path(key), "must be a string" + words.quoteHint());
        }
        return v.textValue();
    }

    public final String text(String key, String fallback) {
        return has(key) ? text(key) : fallback;
    }

    public final Optional<String> optText(String key) {
        return has(key) ? Optional.of(text(key)) : Optional.empty();
    }

    /** A one-character keypad key ({@code "1"}). */
    public final char key(String key, char fallback) {
        if (!has(key)) {
            return fallback;
        }
        String s = text(key);
        if (s.length() != 1) {
            throw new ValidationException(path(key), "must be one keypad key such as \"1\"");
        }
        return s.charAt(0);
    }

    /** A whole number; {@code fallback} when absent, or required when {@code fallback} is null. */
    public final int integer(String key, Integer fallback) {
        if (!has(key) && fallback != null) {
            return fallback;
        }
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ValidationException(path(key), "must be a whole number");
        }
        return v.intValue();
    }

    /** A whole number (money in cents); {@code fallback} as for {@link #integer}. */
    public final long longValue(String key, Long fallback) {
        if (!has(key) && fallback != null) {
            return fallback;
        }
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ValidationException(path(key), "must be a whole number");
        }
        return v.longValue();
    }

    public final boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw new ValidationException(path(key), "must be true or false");
        }
        return v.booleanValue();
    }

    /** An enum by its wire name; {@code fallback} as for {@link #integer}. */
    public final <E extends Enum<E>> E wire(String key, Class<E> type, E fallback) {
        if (!has(key) && fallback != null) {
            return fallback;
        }
        String s = text(key);
        try {
            return Wire.parse(type, s);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(path(key), e.getMessage());
        }
    }

    /** A list of strings; empty when absent. */
    public final List<String> texts(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = node.get(key);
        if (!v.isArray()) {
            throw new ValidationException(path(key), "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw new ValidationException(path(key) + "[" + i + "]", "must be a string" + words.quoteHint());
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }
}
