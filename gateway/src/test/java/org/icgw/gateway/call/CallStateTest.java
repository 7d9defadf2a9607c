package org.icgw.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CallStateTest {

    @ParameterizedTest
    @EnumSource(CallState.class)
    void everyStateButEndedCanEndAndNothingLeavesEnded(CallState s) {
        assertThat(s.canMoveTo(CallState.ENDED)).isEqualTo(s != CallState.ENDED);
        assertThat(CallState.ENDED.canMoveTo(s)).isFalse();
    }

    @Test
    void theTableIsExactlyTheDiagram() {
        assertThat(CallState.NEXT.get(CallState.NEW)).containsExactlyInAnyOrder(CallState.PIN_ENTRY, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.PIN_ENTRY)).containsExactlyInAnyOrder(CallState.NUMBER_ENTRY,
                CallState.DECIDING, CallState.CLOSING, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.NUMBER_ENTRY)).containsExactlyInAnyOrder(CallState.DECIDING,
                CallState.CLOSING, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.DECIDING)).containsExactlyInAnyOrder(CallState.DIALING,
                CallState.CLOSING, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.DIALING)).containsExactlyInAnyOrder(CallState.CALLEE_MENU,
                CallState.CLOSING, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.CALLEE_MENU)).containsExactlyInAnyOrder(CallState.BRIDGED,
                CallState.CLOSING, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.BRIDGED)).containsExactlyInAnyOrder(CallState.CLOSING, CallState.ENDED);
        assertThat(CallState.NEXT.get(CallState.CLOSING)).containsExactly(CallState.ENDED);
    }

    @Test
    void noStateSkipsBackwards() {
        for (CallState from : CallState.values()) {
            for (CallState to : EnumSet.allOf(CallState.class)) {
                if (to.ordinal() <= from.ordinal()) {
                    assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isFalse();
                }
            }
        }
    }
}
