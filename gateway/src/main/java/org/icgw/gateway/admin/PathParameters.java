package org.icgw.gateway.admin;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of every path parameter a route may declare, checked on the decoded value before a
 * handler runs, so nothing else reaches the store or the file system: no {@code /} (an escaped
 * {@code %2F} is decoded first), no {@code ..}, no NUL or other control character, no value longer
 * than its column. A route whose pattern names a parameter not listed here is refused when it is
 * added ({@link Router#add}).
 */
final class PathParameters {

    /**
     * A provisioned thing's id (facility, terminal, inmate, account, block): the store's own id
     * shape ({@code JdbcPolicyStore}, 64 characters, the id columns' width), {@code ':'} included
     * because the store takes it; never {@code .} or {@code ..}.
     */
    static final Pattern ENTITY_ID = Pattern.compile("(?!\\.$)(?!.*\\.\\.)[A-Za-z0-9._:-]{1,64}");
    /** A call id: the gateway makes them (UUIDs); 128 characters is the {@code call_records.call_id} width. */
    static final Pattern CALL_ID = Pattern.compile("(?!\\.$)(?!.*\\.\\.)[A-Za-z0-9._-]{1,128}");
    /** A telephone number as the store keeps it: E.164, at most 15 digits (ITU-T E.164 section 6). */
    static final Pattern NUMBER = Pattern.compile("\\+[1-9][0-9]{1,14}");
    /** A call class's wire name ({@code local}, {@code intrastate}, ...): the rates' 16-character column. */
    static final Pattern CALL_CLASS = Pattern.compile("[a-z_]{1,16}");

    /** Each parameter name routes use, with its shape and the words that describe it in a 400. */
    private record Shape(Pattern pattern, String description) {
    }

    private static final Map<String, Shape> SHAPES = Map.of(
            "id", new Shape(ENTITY_ID, "1 to 64 letters, digits, '.', '_', ':' or '-', without '..'"),
            "call_id", new Shape(CALL_ID, "1 to 128 letters, digits, '.', '_' or '-', without '..'"),
            "number", new Shape(NUMBER, "an E.164 number such as +15735550123"),
            "call_class", new Shape(CALL_CLASS, "a call class such as local or interstate"));

    private PathParameters() {
    }

    /** Whether routes may declare {@code {name}}. */
    static boolean known(String name) {
        return SHAPES.containsKey(name);
    }

    /** The first parameter that does not have its shape, as a 400 naming it; the value is not echoed. */
    static Optional<Problem> check(Map<String, String> params) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            Shape shape = SHAPES.get(p.getKey());
            if (shape == null) {
                throw new IllegalStateException("path parameter without a shape: " + p.getKey());
            }
            if (!shape.pattern().matcher(p.getValue()).matches()) {
                return Optional.of(Problem.invalid(p.getKey(), "must be " + shape.description()));
            }
        }
        return Optional.empty();
    }
}
