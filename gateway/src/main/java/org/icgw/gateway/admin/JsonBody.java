package org.icgw.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.icgw.policy.ValidationException;
import org.icgw.policy.model.Wire;

/**
 * A request body: one JSON object read strictly. Unknown members, duplicate members, wrong types
 * and missing required members are each a {@link ValidationException} naming the member as the
 * request spells it ({@code amount_cents}, {@code digit_map.accept}, {@code allowed_numbers[1]});
 * a body that is not JSON at all names {@code body}.
 */
final class JsonBody {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final JsonNode node;
    private final String prefix;

    private JsonBody(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    /** Parses {@code bytes} as one JSON object whose members are all in {@code allowed}. */
    static JsonBody parse(byte[] bytes, Set<String> allowed) {
        JsonNode n;
        try {
            n = STRICT.readTree(bytes);
        } catch (JsonProcessingException e) {
            var where = e.getLocation();
            throw new ValidationException("body", "not valid JSON"
                    + (where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr())
                    + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ValidationException("body", "unreadable: " + e.getMessage());
        }
        if (n == null || n.isMissingNode()) {
            throw new ValidationException("body", "a JSON object is required");
        }
        return new JsonBody(n, "").checked(allowed);
    }

    private JsonBody checked(Set<String> allowed) {
        if (!node.isObject()) {
            throw new ValidationException(prefix.isEmpty() ? "body" : prefix.substring(0, prefix.length() - 1),
                    "must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ValidationException(path(key), "unknown member; expected one of "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    String path(String key) {
        return prefix + key;
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** A nested object member. */
    Optional<JsonBody> object(String key, Set<String> allowed) {
        if (!has(key)) {
            return Optional.empty();
        }
        return Optional.of(new JsonBody(node.get(key), path(key) + ".").checked(allowed));
    }

    private JsonNode required(String key) {
        if (!has(key)) {
            throw new ValidationException(path(key), "is required");
        }
        return node.get(key);
    }

    String text(String key) {
        JsonNode v = required(key);
        if (!v.isTextual()) {
            throw new ValidationException(path(key), "must be a string");
        }
        return v.textValue();
    }

    Optional<String> optText(String key) {
        return has(key) ? Optional.of(text(key)) : Optional.empty();
    }

    String text(String key, String fallback) {
        return has(key) ? text(key) : fallback;
    }

    int integer(String key, Integer fallback) {
        if (!has(key) && fallback != null) {
            return fallback;
        }
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new ValidationException(path(key), "must be a whole number");
        }
        return v.intValue();
    }

    long longValue(String key, Long fallback) {
        if (!has(key) && fallback != null) {
            return fallback;
        }
        JsonNode v = required(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ValidationException(path(key), "must be a whole number of cents");
        }
        return v.longValue();
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw new ValidationException(path(key), "must be true or false");
        }
        return v.booleanValue();
    }

    <E extends Enum<E>> E wire(String key, Class<E> type, E fallback) {
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

    List<String> texts(String key) {
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
                throw new ValidationException(path(key) + "[" + i + "]", "must be a string");
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    /** A one-character keypad key ({@code "1"}). */
    char key(String key, char fallback) {
        if (!has(key)) {
            return fallback;
        }
        String s = text(key);
        if (s.length() != 1) {
            throw new ValidationException(path(key), "must be one keypad key such as \"1\"");
        }
        return s.charAt(0);
    }

    /** A member that must, when present, equal the id in the path. */
    void sameId(String key, String pathId) {
        if (has(key) && !text(key).equals(pathId)) {
            throw new ValidationException(path(key), "differs from the id in the path ('" + pathId + "')");
        }
    }
}
