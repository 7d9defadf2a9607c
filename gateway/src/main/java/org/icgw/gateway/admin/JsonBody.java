package org.icgw.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Set;
import org.icgw.policy.StrictObject;
import org.icgw.policy.ValidationException;

/**
 * A request body: one JSON object read strictly. Unknown members, duplicate members, wrong types
 * and missing required members are each a {@link ValidationException} naming the member as the
 * request spells it ({@code amount_cents}, {@code digit_map.accept}, {@code allowed_numbers[1]});
 * a body that is not JSON at all names {@code body}.
 */
final class JsonBody extends StrictObject {
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonBody(JsonNode node, Set<String> allowed) {
        super(node, "", allowed, Words.JSON);
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
        return new JsonBody(n, allowed);
    }

    /** A member that must, when present, equal the id in the path. */
    void sameId(String key, String pathId) {
        if (has(key) && !text(key).equals(pathId)) {
            throw new ValidationException(path(key), "differs from the id in the path ('" + pathId + "')");
        }
    }
}
