package org.icgw.gateway.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stream framing on an {@link EmbeddedChannel}: what each byte sequence becomes. */
class SipFrameDecoderTest {

    private static final int MAX = 1024;

    private final List<Object> events = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new SipFrameDecoder(MAX), new ChannelInboundHandlerAdapter() {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add(event);
        }
    });

    private List<Object> feed(String... chunks) {
        for (String chunk : chunks) {
            channel.writeInbound(Unpooled.copiedBuffer(chunk, StandardCharsets.ISO_8859_1));
        }
        List<Object> frames = new ArrayList<>();
        Object frame;
        while ((frame = channel.readInbound()) != null) {
            frames.add(frame);
        }
        return frames;
    }

    private static String message(String body) {
        return "OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5070;branch=z9hG4bK1\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    private static String text(Object frame) {
        return new String(((SipFrame.Message) frame).bytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void doubleCrlfIsAPingAndASingleCrlfIsIgnored() {
        assertThat(feed("\r\n\r\n")).containsExactly(SipFrame.Signal.KEEP_ALIVE);
        assertThat(feed("\r\n", "x")).isEmpty();
        assertThat(events).containsExactly(SipFrame.Signal.STARTED);
    }

    @Test
    void aMessageSplitAcrossReadsComesOutWhole() {
        String m = message("hello");

        List<Object> frames = feed(m.substring(0, 10), m.substring(10, 60), m.substring(60));

        assertThat(events).containsExactly(SipFrame.Signal.STARTED);
        assertThat(frames).hasSize(1);
        assertThat(text(frames.get(0))).isEqualTo(m);
        assertThat(((SipFrame.Message) frames.get(0)).headerLength()).isEqualTo(m.length() - 5);
    }

    @Test
    void twoMessagesInOneReadAreTwoFrames() {
        List<Object> frames = feed(message("a") + message("bc"));

        assertThat(events).hasSize(2);
        assertThat(frames).hasSize(2);
        assertThat(text(frames.get(0))).isEqualTo(message("a"));
        assertThat(text(frames.get(1))).isEqualTo(message("bc"));
    }

    @Test
    void compactContentLengthAndLfOnlyLinesAreFramed() {
        String m = "OPTIONS sip:gw@127.0.0.1 SIP/2.0\nl: 3\n\nabc";

        assertThat(text(feed(m).getFirst())).isEqualTo(m);
    }

    @Test
    void noContentLengthIsUnframed() {
        List<Object> frames = feed("OPTIONS sip:gw@127.0.0.1 SIP/2.0\r\nVia: x\r\n\r\nmore", message(""));

        assertThat(frames).hasSize(1);
        assertThat(frames.getFirst()).isInstanceOf(SipFrame.Unframed.class);
    }

    @Test
    void conflictingContentLengthsAreUnframed() {
        assertThat(feed("INFO sip:a SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab").getFirst())
                .isInstanceOf(SipFrame.Unframed.class);
    }

    @Test
    void messageAtTheLimitIsFramedAndOnePastIsOversized() {
        // a body of three-digit length: two more Content-Length digits than message("")
        int body = MAX - message("").length() - 2;
        String atLimit = message("x".repeat(body));
        assertThat(atLimit).hasSize(MAX);

        assertThat(feed(atLimit).getFirst()).isInstanceOf(SipFrame.Message.class);
        String onePast = message("x".repeat(body + 1));
        List<Object> frames = feed(onePast, message("ok"));

        assertThat(frames).hasSize(2);
        assertThat(((SipFrame.Oversized) frames.get(0)).closeAfter()).isFalse();
        assertThat(text(frames.get(1))).isEqualTo(message("ok"));
    }

    @Test
    void aBodyBeyondWhatIsSkippedClosesTheStream() {
        String head = "INFO sip:a SIP/2.0\r\nContent-Length: " + (SipFrameDecoder.MAX_SKIPPED_BODY + 1) + "\r\n\r\n";
        List<Object> frames = feed(head, message("never"));

        assertThat(frames).hasSize(1);
        assertThat(((SipFrame.Oversized) frames.getFirst()).closeAfter()).isTrue();
    }

    @Test
    void headersWithoutAnEndWithinTheLimitAreTooLong() {
        assertThat(feed("INFO sip:a SIP/2.0\r\nX: " + "y".repeat(MAX - 25) + "\r\n")).isEmpty();

        assertThat(feed("y".repeat(10))).containsExactly(SipFrame.Signal.HEADERS_TOO_LONG);
        assertThat(feed(message("later"))).isEmpty();
    }
}
