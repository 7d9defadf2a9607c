package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The token check: right and nearly right tokens, malformed headers, and every digest compared every time. */
class BearerTokensTest {
    private static final String STAFF = "staff-token-0123456789abcdef";
    private static final String OTHER = "other-staff-token-0123456789";
    private static final String INVESTIGATOR = "investigator-token-0123456789abcdef";
    private static final Map<String, AdminScope> TOKENS = Map.of(STAFF, AdminScope.STAFF, OTHER, AdminScope.STAFF,
            INVESTIGATOR, AdminScope.INVESTIGATOR);

    @Test
    void theRightTokenIsValidAndOneDifferingInItsLastCharacterIsWrong() {
        BearerTokens tokens = new BearerTokens(TOKENS);
        BearerTokens.Check right = tokens.check(Optional.of("Bearer " + INVESTIGATOR));
        assertThat(right).isInstanceOf(BearerTokens.Check.Valid.class);
        assertThat(((BearerTokens.Check.Valid) right).token().scope()).isEqualTo(AdminScope.INVESTIGATOR);
        assertThat(tokens.check(Optional.of("bearer " + STAFF))).isInstanceOf(BearerTokens.Check.Valid.class);

        String last = INVESTIGATOR.substring(0, INVESTIGATOR.length() - 1) + "e";
        assertThat(last).isNotEqualTo(INVESTIGATOR).hasSameSizeAs(INVESTIGATOR);
        assertThat(tokens.check(Optional.of("Bearer " + last))).isInstanceOf(BearerTokens.Check.Wrong.class);
        assertThat(tokens.check(Optional.of("Bearer " + STAFF + "x"))).isInstanceOf(BearerTokens.Check.Wrong.class);
    }

    @Test
    void aHeaderThatIsNotABearerTokenIsMalformedAndNoHeaderIsMissing() {
        BearerTokens tokens = new BearerTokens(TOKENS);
        assertThat(tokens.check(Optional.empty())).isInstanceOf(BearerTokens.Check.Missing.class);
        for (String h : new String[] {"Basic " + STAFF, "Bearer", "Bearer ", "Bearer " + STAFF + " extra",
            "Bearer " + STAFF + "\u0000", "Bearer=" + STAFF, "Bearerx " + STAFF, "Bearer =" + STAFF}) {
            assertThat(tokens.check(Optional.of(h))).as(h).isInstanceOf(BearerTokens.Check.Malformed.class);
        }
    }

    @Test
    void everyConfiguredDigestIsComparedInTheSameOrderWhateverMatches() {
        List<byte[]> compared = new ArrayList<>();
        BearerTokens tokens = new BearerTokens(TOKENS, (configured, presented) -> {
            compared.add(configured);
            return java.security.MessageDigest.isEqual(configured, presented);
        });
        List<List<String>> orders = new ArrayList<>();
        for (String presented : new String[] {STAFF, OTHER, INVESTIGATOR, "not-a-configured-token-0000"}) {
            compared.clear();
            Optional<BearerTokens.Token> found = tokens.find(BearerTokens.sha256(presented));
            assertThat(found.isPresent()).isEqualTo(TOKENS.containsKey(presented));
            assertThat(compared).hasSize(TOKENS.size());
            orders.add(compared.stream().map(java.util.HexFormat.of()::formatHex).toList());
        }
        assertThat(orders).allSatisfy(o -> assertThat(o).isEqualTo(orders.getFirst()));
        assertThat(orders.getFirst()).containsExactlyInAnyOrder(TOKENS.keySet().stream()
                .map(t -> java.util.HexFormat.of().formatHex(BearerTokens.sha256(t))).toArray(String[]::new));
    }
}
