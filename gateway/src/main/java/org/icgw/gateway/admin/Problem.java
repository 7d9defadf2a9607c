package org.icgw.gateway.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * An error answer in the form of RFC 9457 ("Problem Details for HTTP APIs"), served as
 * {@code application/problem+json}. The {@code field} extension member (RFC 9457 section 3.2)
 * names the request field at fault, spelt as in the request ({@code amount_cents},
 * {@code digit_map.accept}, {@code allowed_numbers[1]}).
 *
 * @param type   a URI naming the kind of problem (RFC 9457 section 3.1.1); not dereferenceable
 */
public record Problem(String type, String title, int status, String detail, Optional<String> field) {

    /** RFC 9457 section 3. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(field, "field");
    }

    public static Problem invalid(String field, String detail) {
        return new Problem("urn:icgw:problem:invalid-field", "Invalid field", 400, detail, Optional.of(field));
    }

    public static Problem badRequest(String detail) {
        return new Problem("urn:icgw:problem:bad-request", "Bad request", 400, detail, Optional.empty());
    }

    public static Problem unauthorized() {
        return new Problem("urn:icgw:problem:unauthorized", "Unauthorized", 401,
                "a valid 'Authorization: Bearer <token>' header is required", Optional.empty());
    }

    public static Problem forbidden(AdminScope required) {
        return new Problem("urn:icgw:problem:forbidden", "Forbidden", 403,
                "this token's scope does not cover this route (needs " + required.wireName() + ")", Optional.empty());
    }

    public static Problem notFound(String detail) {
        return new Problem("urn:icgw:problem:not-found", "Not found", 404, detail, Optional.empty());
    }

    public static Problem methodNotAllowed(String detail) {
        return new Problem("urn:icgw:problem:method-not-allowed", "Method not allowed", 405, detail, Optional.empty());
    }

    public static Problem unsupportedMediaType(String detail) {
        return new Problem("urn:icgw:problem:unsupported-media-type", "Unsupported media type", 415, detail,
                Optional.empty());
    }

    public static Problem tooLarge(int limit) {
        return new Problem("urn:icgw:problem:too-large", "Payload too large", 413,
                "the request body exceeds " + limit + " bytes", Optional.empty());
    }

    /** RFC 6585 section 4: the source sent too many wrong tokens; it may try again after the window. */
    public static Problem tooManyFailures(long retryAfterSeconds) {
        return new Problem("urn:icgw:problem:too-many-failures", "Too many requests", 429,
                "too many failed bearer tokens from this address; try again in " + retryAfterSeconds + " s",
                Optional.empty());
    }

    /** RFC 6585 section 5: the request line and headers together exceed the bound. */
    public static Problem headerTooLarge(int limit) {
        return new Problem("urn:icgw:problem:header-too-large", "Request header fields too large", 431,
                "the request line and headers exceed " + limit + " bytes", Optional.empty());
    }

    /** RFC 9110 section 15.5.15: the request line alone exceeds the header bound. */
    public static Problem uriTooLong(int limit) {
        return new Problem("urn:icgw:problem:uri-too-long", "URI too long", 414,
                "the request line exceeds " + limit + " bytes", Optional.empty());
    }

    /** RFC 9110 section 15.5.9: the request did not arrive in time. */
    public static Problem requestTimeout(java.time.Duration timeout) {
        return new Problem("urn:icgw:problem:request-timeout", "Request timeout", 408,
                "the request was not complete " + timeout.toMillis() + " ms after its first byte", Optional.empty());
    }

    public static Problem storeUnavailable() {
        return new Problem("urn:icgw:problem:store-unavailable", "Store unavailable", 503,
                "the database cannot be reached; nothing was written", Optional.empty());
    }

    public static Problem internal() {
        return new Problem("urn:icgw:problem:internal", "Internal error", 500,
                "the request failed inside the gateway; see its log", Optional.empty());
    }

    /** The JSON members, {@code field} only when present. */
    public ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", type);
        n.put("title", title);
        n.put("status", status);
        n.put("detail", detail);
        field.ifPresent(f -> n.put("field", f));
        return n;
    }
}
