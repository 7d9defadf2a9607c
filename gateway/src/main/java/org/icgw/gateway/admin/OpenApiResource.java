package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI 3 document of the admin API at {@code /api/v1/openapi.json}. It is written
 * by hand ({@code openapi.yaml} beside this class) and a test holds it to the router: every route
 * is in it and it has no other. Public, as documentation.
 */
final class OpenApiResource {
    static final String PATH = AdminApi.V1 + "/openapi.json";
    private static final JsonNode DOCUMENT = load();

    private OpenApiResource() {
    }

    static void routes(Router r) {
        r.addPublic("GET", PATH, req -> AdminResponse.ok(DOCUMENT));
    }

    /** The document as JSON. */
    static JsonNode document() {
        return DOCUMENT.deepCopy();
    }

    private static JsonNode load() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream("openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml missing from the classpath");
            }
            return new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read openapi.yaml", e);
        }
    }
}
