package org.icgw.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What a handler answers.
 *
 * @param entityId for a change, the id of what changed, written to the audit log (not sent)
 */
public record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers,
                            Optional<String> entityId) {

    public static final String JSON = "application/json";

    public static AdminResponse json(int status, JsonNode body) {
        try {
            return new AdminResponse(status, JSON, Json.MAPPER.writeValueAsBytes(body), Map.of(), Optional.empty());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static AdminResponse ok(JsonNode body) {
        return json(200, body);
    }

    public static AdminResponse noContent() {
        return new AdminResponse(204, JSON, new byte[0], Map.of(), Optional.empty());
    }

    public static AdminResponse text(int status, String contentType, String body) {
        return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of(), Optional.empty());
    }

    public static AdminResponse problem(Problem p) {
        try {
            return new AdminResponse(p.status(), Problem.MEDIA_TYPE, Json.MAPPER.writeValueAsBytes(p.toJson()), Map.of(),
                    Optional.empty());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The same answer, naming the entity it changed for the audit log. */
    public AdminResponse changed(String id) {
        return new AdminResponse(status, contentType, body, headers, Optional.of(id));
    }

    /** The same answer with one more header. */
    public AdminResponse withHeader(String name, String value) {
        java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new AdminResponse(status, contentType, body, Map.copyOf(h), entityId);
    }
}
