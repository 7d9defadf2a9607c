package org.icgw.gateway.sip.b2bua;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.icgw.gateway.call.MediaDescription;
import org.icgw.gateway.call.MediaDescription.Direction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Offer/answer on text: what the gateway chooses from an offer and what it writes back. */
class SdpTest {

    private static String offer(String formats, String attributes) {
        return "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP " + formats + "\r\n" + attributes;
    }

    private static Sdp.Negotiated usable(String text) {
        Sdp.Reading reading = Sdp.read(text);
        assertThat(reading).isInstanceOf(Sdp.Usable.class);
        return ((Sdp.Usable) reading).negotiated();
    }

    @ParameterizedTest
    @CsvSource({
            "'0 8', 0",
            "'8 0', 8",
            "'18 8 0', 8",
            "'96 0', 0"})
    void choosesTheFirstG711InTheOffersOrder(String formats, int chosen) {
        Sdp.Negotiated n = usable(offer(formats, "a=rtpmap:96 opus/48000/2\r\n"));

        assertThat(n.chosen().payloadType()).isEqualTo(chosen);
        assertThat(n.chosen().rtp()).isEqualTo(new InetSocketAddress("10.0.0.5", 4000));
        assertThat(n.chosen().telephoneEventPt()).isEqualTo(-1);
        assertThat(n.chosen().direction()).isEqualTo(Direction.SENDRECV);
    }

    @Test
    void telephoneEventPayloadTypeIsTheOffers() {
        Sdp.Negotiated n = usable(offer("8 96", "a=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\n"));

        assertThat(n.chosen().telephoneEventPt()).isEqualTo(96);
    }

    @Test
    void noG711IsNoCommonCodec() {
        assertThat(Sdp.read(offer("18 9", "a=rtpmap:18 G729/8000\r\n")))
                .isInstanceOfSatisfying(Sdp.Unusable.class, u -> assertThat(u.problem()).isEqualTo(Sdp.Problem.NO_COMMON_CODEC));
    }

    @Test
    void garbageIsMalformed() {
        assertThat(Sdp.read("this is not sdp"))
                .isInstanceOfSatisfying(Sdp.Unusable.class, u -> assertThat(u.problem()).isEqualTo(Sdp.Problem.MALFORMED));
    }

    @ParameterizedTest
    @CsvSource({
            "a=sendonly, SENDONLY, true",
            "a=inactive, INACTIVE, true",
            "a=recvonly, RECVONLY, false",
            "a=sendrecv, SENDRECV, false"})
    void directionAndHold(String attribute, Direction direction, boolean holds) {
        MediaDescription chosen = usable(offer("0", attribute + "\r\n")).chosen();

        assertThat(chosen.direction()).isEqualTo(direction);
        assertThat(chosen.holds()).isEqualTo(holds);
    }

    /** Nothing from a message is resolved; multicast and broadcast are not a peer's RTP address. */
    @ParameterizedTest
    @CsvSource({
            "IP4 localhost",
            "IP4 host5.example.com",
            "'IP4 '",
            "IP4 10",
            "IP4 224.2.1.1/127",
            "IP4 239.255.0.1",
            "IP4 255.255.255.255",
            "IP6 ff02::1"})
    void connectionAddressMustBeAUnicastLiteral(String connection) {
        String text = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN " + connection + "\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n";

        assertThat(Sdp.read(text)).isInstanceOfSatisfying(Sdp.Unusable.class,
                u -> assertThat(u.problem()).isEqualTo(Sdp.Problem.MALFORMED));
    }

    /** The m= port: 65535 is the last port there is. */
    @ParameterizedTest
    @CsvSource({"65535, true", "65536, false", "4000/2, true"})
    void mediaPortUpTo65535(String port, boolean usable) {
        String text = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\n";

        assertThat(Sdp.read(text) instanceof Sdp.Usable).isEqualTo(usable);
    }

    @ParameterizedTest
    @CsvSource({"IP4 192.0.2.7, /192.0.2.7", "IP6 2001:db8::7, /2001:db8:0:0:0:0:0:7"})
    void unicastLiteralsAreTakenAsWritten(String connection, String address) {
        String text = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN " + connection + "\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n";

        assertThat(usable(text).chosen().rtp().getAddress().toString()).isEqualTo(address);
    }

    @Test
    void rfc2543HoldAddressHolds() {
        String text = "v=0\r\no=- 1 2 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";

        assertThat(usable(text).chosen().holds()).isTrue();
    }

    @Test
    void answerKeepsOneLinePerOfferedLineAndTheOfferersEventType() {
        String text = offer("8 0 97", "a=rtpmap:97 telephone-event/8000\r\na=sendonly\r\n")
                + "m=video 5000 RTP/AVP 99\r\na=rtpmap:99 H264/90000\r\n";
        Sdp.Negotiated n = usable(text);
        MediaDescription local = new MediaDescription(new InetSocketAddress("127.0.0.1", 20000), 8, 97,
                Sdp.answerDirection(n.chosen().direction()));

        String answer = Sdp.answer(local, n, 42, 1);

        assertThat(answer).contains("o=icgw 42 1 IN IP4 127.0.0.1\r\n")
                .contains("c=IN IP4 127.0.0.1\r\n")
                .contains("m=audio 20000 RTP/AVP 8 97\r\n")
                .contains("a=rtpmap:8 PCMA/8000\r\n")
                .contains("a=rtpmap:97 telephone-event/8000\r\n")
                .contains("a=recvonly\r\n")
                .contains("m=video 0 RTP/AVP 99\r\n")
                .doesNotContain("PCMU");
        assertThat(usable(answer).chosen().payloadType()).isEqualTo(8);
    }

    @Test
    void answerWithoutOfferedEventsHasNone() {
        Sdp.Negotiated n = usable(offer("0", ""));
        MediaDescription local = new MediaDescription(new InetSocketAddress("127.0.0.1", 20000), 0, 101,
                Direction.SENDRECV);

        assertThat(Sdp.answer(local, n, 1, 1)).doesNotContain("telephone-event").contains("m=audio 20000 RTP/AVP 0\r\n");
    }

    @Test
    void offerPutsTheLocalCodecFirstThenTheOtherLaw() {
        MediaDescription local = new MediaDescription(new InetSocketAddress("127.0.0.1", 20002), 8, 101,
                Direction.SENDRECV);

        String text = Sdp.offer(local, 7, 3);

        assertThat(text).contains("m=audio 20002 RTP/AVP 8 0 101\r\n").contains("a=fmtp:101 0-16\r\n");
        Sdp.Negotiated back = usable(text);
        assertThat(back.chosen()).isEqualTo(local);
    }
}
