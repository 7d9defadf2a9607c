package org.icgw.gateway.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One mapping of the configuration tree being read, with its path ({@code sip},
 * {@code trunks.list[0]}). Each getter names the key it reads; {@link #finish()} then refuses any
 * key nobody read, so a misspelt key is an error, never silently ignored.
 */
final class ConfigNode {

    private final String path;
    private final JsonNode node;
    private final Map<String, String> origins;
    private final Set<String> read = new LinkedHashSet<>();

    ConfigNode(String path, JsonNode node, Map<String, String> origins) {
        this.path = path;
        this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
        this.origins = origins;
        if (!this.node.isMissingNode() && !this.node.isObject()) {
            throw error(path, "expected a mapping of keys, got " + describe(this.node));
        }
    }

    /** The full key of {@code key} in this mapping. */
    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** An error about {@code key}, named as the operator wrote it (a command-line option, when it came from one). */
    ConfigException error(String fullKey, String problem) {
        String origin = origins.get(fullKey);
        return new ConfigException(origin != null ? origin + " (" + fullKey + ")" : fullKey, problem);
    }

    ConfigException errorAt(String key, String problem) {
        return error(key(key), problem);
    }

    private Optional<JsonNode> value(String key) {
        read.add(key);
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    ConfigNode section(String key) {
        read.add(key);
        return new ConfigNode(key(key), node.get(key), origins);
    }

    /** The mappings of the list at {@code key}, or empty when the key is absent. */
    Optional<List<ConfigNode>> list(String key) {
        Optional<JsonNode> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (!v.get().isArray()) {
            throw errorAt(key, "expected a list, got " + describe(v.get()));
        }
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < v.get().size(); i++) {
            out.add(new ConfigNode(key(key) + "[" + i + "]", v.get().get(i), origins));
        }
        return Optional.of(out);
    }

    /** The strings of the list at {@code key}; a single string counts as a list of one. */
    Optional<List<String>> strings(String key) {
        Optional<JsonNode> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        if (v.get().isTextual()) {
            for (String s : v.get().asText().split(",")) {
                out.add(s.trim());
            }
            return Optional.of(out);
        }
        if (!v.get().isArray()) {
            throw errorAt(key, "expected a list of strings, got " + describe(v.get()));
        }
        for (int i = 0; i < v.get().size(); i++) {
            JsonNode e = v.get().get(i);
            if (!e.isTextual()) {
                throw error(key(key) + "[" + i + "]", "expected a string, got " + describe(e));
            }
            out.add(e.asText());
        }
        return Optional.of(out);
    }

    Optional<String> string(String key) {
        Optional<JsonNode> v = value(key);
        if (v.isPresent() && !v.get().isTextual()) {
            throw errorAt(key, "expected a string, got " + describe(v.get()));
        }
        return v.map(JsonNode::asText);
    }

    /** A secret's text; its value never appears in an error. */
    Optional<String> secret(String key) {
        Optional<JsonNode> v = value(key);
        if (v.isPresent() && !v.get().isTextual()) {
            throw errorAt(key, "expected a string (the value is not shown: it is a secret)");
        }
        return v.map(JsonNode::asText);
    }

    /** A string that must not be blank. */
    String text(String key, String dflt) {
        String s = string(key).orElse(dflt);
        if (s.isBlank()) {
            throw errorAt(key, "must not be empty");
        }
        return s;
    }

    /** Refuses a mapping without {@code key}. */
    void require(String key) {
        read.add(key);
        if (!has(key)) {
            throw errorAt(key, "missing (required)");
        }
    }

    /** A string that must be present. */
    String required(String key) {
        require(key);
        return text(key, "");
    }

    /** This mapping's path ({@code ""} for the top). */
    String path() {
        return path;
    }

    int integer(String key, int dflt, int min, int max) {
        Optional<JsonNode> v = value(key);
        if (v.isEmpty()) {
            return dflt;
        }
        JsonNode n = v.get();
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw errorAt(key, "expected a whole number, got " + describe(n));
        }
        long l = n.asLong();
        if (l < min || l > max) {
            throw errorAt(key, l + " is out of range " + min + "-" + max);
        }
        return (int) l;
    }

    int port(String key, int dflt) {
        return integer(key, dflt, 1, 65_535);
    }

    double number(String key, double dflt, double min, double max) {
        Optional<JsonNode> v = value(key);
        if (v.isEmpty()) {
            return dflt;
        }
        JsonNode n = v.get();
        if (!n.isNumber()) {
            throw errorAt(key, "expected a number, got " + describe(n));
        }
        double d = n.asDouble();
        if (!(d >= min && d <= max)) {
            throw errorAt(key, n.asText() + " is out of range " + trim(min) + "-" + trim(max));
        }
        return d;
    }

    boolean bool(String key, boolean dflt) {
        Optional<JsonNode> v = value(key);
        if (v.isEmpty()) {
            return dflt;
        }
        if (!v.get().isBoolean()) {
            throw errorAt(key, "expected true or false, got " + describe(v.get()));
        }
        return v.get().asBoolean();
    }

    /** A duration ({@link Durations}); at least {@code min}. */
    Duration duration(String key, Duration dflt, Duration min) {
        Optional<JsonNode> v = value(key);
        if (v.isEmpty()) {
            return dflt;
        }
        JsonNode n = v.get();
        if (n.isNumber()) {
            throw errorAt(key, n.asText() + " has no unit (" + Durations.FORMS + ")");
        }
        if (!n.isTextual()) {
            throw errorAt(key, "expected a duration, got " + describe(n));
        }
        Duration d = Durations.parse(n.asText()).orElseThrow(
                () -> errorAt(key, "'" + n.asText() + "' is not a duration (" + Durations.FORMS + ")"));
        if (d.compareTo(min) < 0) {
            throw errorAt(key, "'" + n.asText() + "' is shorter than " + Durations.format(min));
        }
        return d;
    }

    /** One of {@code choices} by its lower-case name. */
    <E extends Enum<E>> E choice(String key, E dflt, Class<E> type, Function<E, String> name) {
        Optional<String> s = string(key);
        if (s.isEmpty()) {
            return dflt;
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (name.apply(e).equalsIgnoreCase(s.get().trim())) {
                return e;
            }
            names.add(name.apply(e));
        }
        throw errorAt(key, "'" + s.get() + "' is not one of " + String.join(", ", names));
    }

    /** Refuses the keys of this mapping that were not read. */
    void finish() {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.isEmpty()) {
                // Named by the mapping it is in: an empty key names nothing (found by ConfigLoaderFuzzTest).
                throw error(path.isEmpty() ? "(top)" : path, "has a key with an empty name");
            }
            if (!read.contains(name)) {
                throw error(key(name), "unknown key (expected one of: " + String.join(", ", read) + ")");
            }
        }
    }

    private static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "'" + n.asText() + "'";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return n.asText().toLowerCase(Locale.ROOT);
    }

    private static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
