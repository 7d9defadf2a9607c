package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/** The legs' transition tables are the diagrams of their Javadoc; the 2xx retransmission schedule of RFC 3261. */
class LegStatesTest {

    @Test
    void theInmateLegTableIsItsDiagram() {
        assertThat(InmateSipLeg.State.NEXT.get(InmateSipLeg.State.OFFERED))
                .containsExactlyInAnyOrder(InmateSipLeg.State.ANSWERED, InmateSipLeg.State.ENDED);
        assertThat(InmateSipLeg.State.NEXT.get(InmateSipLeg.State.ANSWERED))
                .containsExactlyInAnyOrder(InmateSipLeg.State.CONFIRMED, InmateSipLeg.State.ENDED);
        assertThat(InmateSipLeg.State.NEXT.get(InmateSipLeg.State.CONFIRMED)).containsExactly(InmateSipLeg.State.ENDED);
        assertThat(InmateSipLeg.State.NEXT.get(InmateSipLeg.State.ENDED)).isEmpty();
        noStateGoesBack(InmateSipLeg.State.values(), InmateSipLeg.State::canMoveTo);
    }

    @Test
    void theTrunkLegTableIsItsDiagram() {
        assertThat(TrunkSipLeg.State.NEXT.get(TrunkSipLeg.State.IDLE))
                .containsExactlyInAnyOrder(TrunkSipLeg.State.CALLING, TrunkSipLeg.State.ENDED);
        assertThat(TrunkSipLeg.State.NEXT.get(TrunkSipLeg.State.CALLING))
                .containsExactlyInAnyOrder(TrunkSipLeg.State.ANSWERED, TrunkSipLeg.State.ENDED);
        assertThat(TrunkSipLeg.State.NEXT.get(TrunkSipLeg.State.ANSWERED)).containsExactly(TrunkSipLeg.State.ENDED);
        assertThat(TrunkSipLeg.State.NEXT.get(TrunkSipLeg.State.ENDED)).isEmpty();
        noStateGoesBack(TrunkSipLeg.State.values(), TrunkSipLeg.State::canMoveTo);
    }

    /** No state moves to itself or to one drawn before it. */
    static <E extends Enum<E>> void noStateGoesBack(E[] states, BiPredicate<E, E> canMoveTo) {
        for (E from : states) {
            for (E to : states) {
                if (to.ordinal() <= from.ordinal()) {
                    assertThat(canMoveTo.test(from, to)).as("%s -> %s", from, to).isFalse();
                }
            }
        }
    }

    @Test
    void a2xxIsRetransmittedAtT1DoublingUpToT2AndAwaitedSixtyFourT1() {
        assertThat(LegDialog.retransmitInterval(0)).isEqualTo(Duration.ofMillis(500));
        assertThat(LegDialog.retransmitInterval(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(LegDialog.retransmitInterval(2)).isEqualTo(Duration.ofSeconds(2));
        // T2 reached at the fourth interval, and held from the one after it on.
        assertThat(LegDialog.retransmitInterval(3)).isEqualTo(LegDialog.T2);
        assertThat(LegDialog.retransmitInterval(4)).isEqualTo(LegDialog.T2);
        assertThat(LegDialog.retransmitInterval(Integer.MAX_VALUE)).isEqualTo(LegDialog.T2);
        assertThat(LegDialog.ACK_WAIT).isEqualTo(Duration.ofSeconds(32));
    }
}
