package org.icgw.policy.number;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.icgw.policy.model.CallClass;
import org.junit.jupiter.api.Test;

class NumberPlanTest {
    @Test
    void copiesItsPrefixes() {
        List<String> prefixes = new ArrayList<>(List.of("+1573"));
        NumberPlan plan = new NumberPlan("US", "MO", prefixes);
        prefixes.add("+1314");
        assertThat(plan.localPrefixes()).containsExactly("+1573");
        assertThatThrownBy(() -> plan.localPrefixes().add("+1")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsAnUnknownRegionAndPrefixesNotInE164Form() {
        assertThatThrownBy(() -> NumberPlan.of("XX", "MO"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("region: not a supported ISO region code: XX");
        assertThatThrownBy(() -> NumberPlan.of("us", "MO"))
                .hasMessage("region: not a supported ISO region code: us");
        assertThatThrownBy(() -> NumberPlan.of("US", "MO", "1573"))
                .hasMessage("localPrefixes: not an E.164 prefix (+digits): 1573");
        assertThatThrownBy(() -> NumberPlan.of("US", "MO", "+1 573"))
                .hasMessage("localPrefixes: not an E.164 prefix (+digits): +1 573");
        assertThatThrownBy(() -> NumberPlan.of("US", "MO", "+"))
                .hasMessage("localPrefixes: not an E.164 prefix (+digits): +");
    }

    @Test
    void classifiedNumberKeepsItsFieldsConsistentWithItsKind() {
        assertThat(ClassifiedNumber.invalid("911"))
                .isEqualTo(new ClassifiedNumber("911", NumberKind.INVALID, Optional.empty(), Optional.empty()));
        assertThat(ClassifiedNumber.invalid("911").isValid()).isFalse();
        assertThatThrownBy(() -> new ClassifiedNumber("x", NumberKind.INVALID, Optional.of("+1"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClassifiedNumber("x", NumberKind.GEOGRAPHIC, Optional.empty(),
                Optional.of(CallClass.LOCAL))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClassifiedNumber("x", NumberKind.GEOGRAPHIC, Optional.of("+15735550100"),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClassifiedNumber("x", NumberKind.INTERNATIONAL, Optional.of("+442079460958"),
                Optional.of(CallClass.INTERSTATE))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new ClassifiedNumber("x", NumberKind.TOLL_FREE, Optional.of("+18005550199"), Optional.empty())
                .isValid()).isTrue();
    }
}
