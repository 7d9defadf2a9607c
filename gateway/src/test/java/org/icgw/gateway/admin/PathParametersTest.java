package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The path parameters' shapes at their bounds and one past, and a route without a shape refused. */
class PathParametersTest {

    private static Optional<String> refused(String name, String value) {
        return PathParameters.check(Map.of(name, value)).map(Problem::field).map(Optional::orElseThrow);
    }

    @Test
    void idsAreBoundedToTheirColumnsAndHoldNoSeparatorDotDotOrControlCharacter() {
        assertThat(refused("id", "i".repeat(64))).isEmpty();
        assertThat(refused("id", "i".repeat(65))).contains("id");
        assertThat(refused("call_id", "c".repeat(128))).isEmpty();
        assertThat(refused("call_id", "c".repeat(129))).contains("call_id");
        for (String ok : new String[] {"osage-county-jail", "inm_1001", "a.b", "site:1", "550e8400-e29b-41d4-a716-446655440000"}) {
            assertThat(refused("id", ok)).as(ok).isEmpty();
        }
        for (String bad : new String[] {"", ".", "..", "a..b", "../etc", "a/b", "a\\b", "a\u0000b", "a b", "a%2fb",
            "\u00e9t\u00e9", "a\nb"}) {
            assertThat(refused("id", bad)).as(bad).contains("id");
            assertThat(refused("call_id", bad)).as(bad).contains("call_id");
        }
        assertThat(refused("call_id", "site:1")).contains("call_id");
    }

    @Test
    void numbersAreE164AndCallClassesAreShortWords() {
        assertThat(refused("number", "+1" + "5".repeat(14))).isEmpty();
        assertThat(refused("number", "+1" + "5".repeat(15))).contains("number");
        assertThat(refused("number", "15735550123")).contains("number");
        assertThat(refused("call_class", "international")).isEmpty();
        assertThat(refused("call_class", "x".repeat(17))).contains("call_class");
    }

    @Test
    void theFirstBadParameterInPatternOrderIsNamedAndItsValueIsNotEchoed() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("id", "../../etc/passwd");
        params.put("number", "bad");
        Problem p = PathParameters.check(params).orElseThrow();
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.field()).contains("id");
        assertThat(p.detail()).doesNotContain("passwd");
    }

    @Test
    void aRouteWithAParameterOfNoKnownShapeIsRefused() {
        assertThatThrownBy(() -> new Router().add("GET", "/things/{thing}", AdminScope.STAFF,
                req -> AdminResponse.noContent())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{thing}");
    }
}
