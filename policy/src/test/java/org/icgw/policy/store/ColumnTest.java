package org.icgw.policy.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.icgw.policy.ValidationException;
import org.junit.jupiter.api.Test;

/** Checking and fitting one string to its column, without a database. */
class ColumnTest {
    private static final Column DIALED = Column.CALL_RECORDS_DIALED;

    @Test
    void aStringAtItsColumnFitsAndOnePastDoesNot() {
        String at = "1".repeat(64);
        assertThat(DIALED.fits(at)).isTrue();
        assertThat(DIALED.check(at)).isSameAs(at);
        assertThat(DIALED.fit(at)).isSameAs(at);

        String past = "1".repeat(65);
        assertThat(DIALED.fits(past)).isFalse();
        assertThatThrownBy(() -> DIALED.check(past)).isInstanceOf(ValidationException.class)
                .hasMessage("dialed: at most 64 characters, got 65")
                .extracting(e -> ((ValidationException) e).field()).isEqualTo("dialed");
        assertThatThrownBy(() -> DIALED.check("number", Optional.of(past))).hasMessageStartingWith("number: ");
        assertThat(DIALED.fit(past)).isEqualTo(at);
        assertThat(DIALED.check(Optional.empty())).isEmpty();
    }

    @Test
    void aRefusalNeverRepeatsTheValue() {
        assertThatThrownBy(() -> DIALED.check("secret-" + "9".repeat(100))).hasMessageNotContaining("secret");
    }

    @Test
    void fittingDropsNulAndNeverSplitsASurrogatePair() {
        assertThat(DIALED.fits("1\u00002")).isFalse();
        assertThat(DIALED.fit("1\u00002")).isEqualTo("12");
        String emoji = "\uD83D\uDCDE";
        String straddling = "1".repeat(63) + emoji;
        assertThat(straddling).hasSize(65);
        assertThat(DIALED.fit(straddling)).isEqualTo("1".repeat(63));
        assertThat(DIALED.fit("1".repeat(62) + emoji)).hasSize(64).endsWith(emoji);
        assertThat(DIALED.fit(Optional.of("\u0000".repeat(100) + "5"))).contains("5");
    }

    @Test
    void columnsAreNamedOnce() {
        assertThat(Column.of("call_records", "nope")).isEmpty();
        for (Column c : Column.values()) {
            assertThat(Column.of(c.table(), c.column())).contains(c);
            assertThat(c.size()).isPositive();
        }
    }
}
