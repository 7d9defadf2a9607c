package org.icgw.policy.pin;

import static org.assertj.core.api.Assertions.assertThat;

import org.icgw.policy.model.Inmate;
import org.icgw.policy.model.InmateStatus;
import org.junit.jupiter.api.Test;

class PinHasherTest {
    private final PinHasher hasher = new PinHasher(PinHasher.Cost.FAST, "test-pepper-0123456789");

    @Test
    void hashIsSaltedAndVerifies() {
        String a = hasher.hash("123456");
        String b = hasher.hash("123456");
        assertThat(a).startsWith("argon2id$v=19$m=64,t=1,p=1$").isNotEqualTo(b).doesNotContain("123456");
        assertThat(hasher.verify("123456", a)).isTrue();
        assertThat(hasher.verify("123457", a)).isFalse();
        assertThat(hasher.verify("123456", "not-a-hash")).isFalse();
        assertThat(hasher.verify("123456", "argon2id$v=19$m=x$$")).isFalse();
    }

    @Test
    void indexIsKeyedByPepperAndFacility() {
        PinHasher other = new PinHasher(PinHasher.Cost.FAST, "another-pepper-987654321");
        assertThat(hasher.index("f1", "123456")).isEqualTo(hasher.index("f1", "123456"))
                .isNotEqualTo(hasher.index("f2", "123456"))
                .isNotEqualTo(other.index("f1", "123456"))
                .hasSize(43);
    }

    @Test
    void wellFormedPinsAreFourToTwelveDigits() {
        assertThat(PinHasher.wellFormed("1234")).isTrue();
        assertThat(PinHasher.wellFormed("123456789012")).isTrue();
        assertThat(PinHasher.wellFormed("123")).isFalse();
        assertThat(PinHasher.wellFormed("12a456")).isFalse();
        assertThat(PinHasher.wellFormed(null)).isFalse();
    }

    @Test
    void verifierRemembersProvenPinsPerHash() {
        PinVerifier verifier = new PinVerifier(hasher);
        Inmate inmate = new Inmate("i1", "f1", "A", java.util.Optional.empty(), hasher.hash("246810"),
                hasher.index("f1", "246810"), InmateStatus.ACTIVE, "en", 0, false, java.util.List.of());
        assertThat(verifier.matches(inmate, "246810")).isTrue();
        assertThat(verifier.matches(inmate, "246810")).isTrue();
        assertThat(verifier.matches(inmate, "246811")).isFalse();
        Inmate reset = new Inmate("i1", "f1", "A", java.util.Optional.empty(), hasher.hash("135790"),
                hasher.index("f1", "135790"), InmateStatus.ACTIVE, "en", 0, false, java.util.List.of());
        assertThat(verifier.matches(reset, "246810")).isFalse();
        assertThat(verifier.matches(reset, "135790")).isTrue();
    }
}
