package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.icgw.gateway.ConsoleWatch;
import org.icgw.gateway.call.MediaDescription;

/**
 * Coverage-guided fuzzing of the SDP reader with peers' offers and answers (any bytes, read as
 * UTF-8 like a SIP body). In the test run only the seeds under {@code SdpFuzzTestInputs/} run;
 * {@code deploy/fuzz.sh sdp} fuzzes.
 *
 * <p>{@link Sdp#read} never throws and writes nothing to the console. What it takes as usable is a G.711 stream at a unicast address
 * that the text gave as an IP literal (nothing from a message is resolved), and the answer the
 * gateway builds to it reads back as the same choice.
 */
class SdpFuzzTest {

    private static final MediaDescription LOCAL = new MediaDescription(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 20_000), 0, Sdp.DEFAULT_TELEPHONE_EVENT_PT,
            MediaDescription.Direction.SENDRECV);

    @FuzzTest
    void read(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        switch (ConsoleWatch.silent(() -> Sdp.read(text))) {
            case Sdp.Unusable unusable -> {
                assertThat(unusable.problem()).isNotNull();
                assertThat(unusable.detail()).isNotNull();
            }
            case Sdp.Usable usable -> checkUsable(usable.negotiated());
        }
    }

    private static void checkUsable(Sdp.Negotiated offer) {
        MediaDescription peer = offer.chosen();
        assertThat(peer.payloadType()).isIn(0, 8);
        assertThat(peer.telephoneEventPt()).satisfiesAnyOf(pt -> assertThat(pt).isEqualTo(-1),
                pt -> assertThat(pt).isBetween(96, 127));
        assertThat(peer.rtp().getPort()).isBetween(1, 65_535);
        InetAddress address = peer.rtp().getAddress();
        assertThat(address).as("an address, not a name to resolve").isNotNull();
        assertThat(address.toString()).as("taken from a literal, not looked up").startsWith("/");
        assertThat(address.isMulticastAddress()).as("multicast %s", address).isFalse();
        assertThat(offer.audioLine()).isBetween(0, offer.lines().size() - 1);
        assertThat(offer.lines().get(offer.audioLine()).media()).isEqualToIgnoringCase("audio");

        String answer = Sdp.answer(LOCAL, offer, 1, 1);
        Sdp.Reading reread = Sdp.read(answer);
        assertThat(reread).as("our answer %s", answer).isInstanceOf(Sdp.Usable.class);
        Sdp.Negotiated ours = ((Sdp.Usable) reread).negotiated();
        assertThat(ours.chosen().payloadType()).isEqualTo(peer.payloadType());
        assertThat(ours.chosen().telephoneEventPt()).isEqualTo(peer.telephoneEventPt());
        assertThat(ours.lines()).hasSameSizeAs(offer.lines());
        assertThat(ours.audioLine()).isEqualTo(offer.audioLine());
    }
}
