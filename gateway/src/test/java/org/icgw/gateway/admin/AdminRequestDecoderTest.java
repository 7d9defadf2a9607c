package org.icgw.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decoder on an {@link EmbeddedChannel}: the head bound at the bound and one byte past it,
 * whatever the reads' sizes; requests' starts and ends as {@link ReadTimeouts} sees them.
 */
class AdminRequestDecoderTest {
    private static final int MAX = 1024;
    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final List<String> expired = new ArrayList<>();
    private EmbeddedChannel ch;
    private ReadTimeouts timeouts;

    @BeforeEach
    void channel() {
        ch = new EmbeddedChannel();
        ch.freezeTime();
        timeouts = new ReadTimeouts(ch.eventLoop(), TIMEOUT, new ReadTimeouts.Expiry() {
            @Override
            public void requestTimedOut() {
                expired.add("request");
            }

            @Override
            public void idle() {
                expired.add("idle");
            }

            @Override
            public void lingerOver() {
                expired.add("linger");
            }
        });
        ch.pipeline().addLast(new AdminRequestDecoder(MAX, timeouts));
    }

    /** A GET whose head (request line to the empty line) is exactly {@code size} bytes. */
    static String head(int size) {
        String start = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ";
        String end = "\r\n\r\n";
        return start + "p".repeat(size - start.length() - end.length()) + end;
    }

    private void feed(String text, int pieceSize) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += pieceSize) {
            ch.writeInbound(Unpooled.wrappedBuffer(b, i, Math.min(pieceSize, b.length - i)));
        }
    }

    private List<Object> inbound() {
        List<Object> out = new ArrayList<>();
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            out.add(o);
            ReferenceCountUtil.release(o);
        }
        return out;
    }

    @Test
    void aHeadOfExactlyTheBoundIsDecodedInAnyPiecesAndOneByteMoreIs431() {
        for (int piece : new int[] {1, 7, 100, MAX}) {
            channel();
            feed(head(MAX), piece);
            List<Object> out = inbound();
            assertThat(out).as("pieces of %d", piece).hasSize(2);
            assertThat(out.get(0)).isInstanceOf(HttpRequest.class);
            assertThat(((HttpRequest) out.get(0)).decoderResult().isSuccess()).isTrue();
            assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);

            channel();
            feed(head(MAX + 1), piece);
            out = inbound();
            assertThat(out).as("pieces of %d", piece).singleElement().isInstanceOf(Refusal.class);
            assertThat(((Refusal) out.getFirst()).problem().status()).isEqualTo(431);
            feed(head(100), piece);
            assertThat(inbound()).as("the rest of the connection is discarded").isEmpty();
        }
    }

    @Test
    void aRequestLineAloneOverTheBoundIs414() {
        feed("GET /" + "a".repeat(MAX) + " HTTP/1.1\r\n\r\n", 64);
        List<Object> out = inbound();
        assertThat(out).singleElement().isInstanceOf(Refusal.class);
        assertThat(((Refusal) out.getFirst()).problem().status()).isEqualTo(414);
    }

    @Test
    void eachPipelinedRequestHasItsOwnBoundAndEmptyLinesBeforeARequestCount() {
        feed(head(MAX) + head(MAX) + "\r\n" + head(MAX - 2), MAX * 3 + 2);
        assertThat(inbound()).hasSize(6).filteredOn(HttpRequest.class::isInstance).hasSize(3);
        feed("\r\n" + head(MAX - 1), 5);
        assertThat(inbound()).singleElement().isInstanceOf(Refusal.class);
    }

    @Test
    void aBodyEndsTheRequestAndAFailedDecodeDiscardsTheRest() {
        feed("POST /api/v1/blocks HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", 10);
        assertThat(inbound()).hasSize(2);
        feed("cde", 1);
        assertThat(inbound()).hasSize(3).last().isInstanceOf(LastHttpContent.class);
        feed("GET /healthz HTTP/1.1\r\nContent-Length: x\r\n\r\n", 100);
        List<Object> out = inbound();
        assertThat(out).singleElement().isInstanceOf(HttpRequest.class);
        assertThat(((HttpRequest) out.getFirst()).decoderResult().isFailure()).isTrue();
        feed(head(100), 100);
        assertThat(inbound()).isEmpty();
    }

    @Test
    void aRequestMustBeWholeWithinTheTimeoutOfItsFirstByte() {
        timeouts.connected();
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        feed("GET /healthz HTTP/1.1\r\n", 1);
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(expired).isEmpty();
        feed("Host: x", 1);
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(expired).containsExactly("request");
    }

    @Test
    void noTimerRunsWhileAnAnswerIsOwedAndTheIdleTimerStartsWhenItIsWritten() {
        timeouts.connected();
        feed(head(200), 200);
        assertThat(inbound()).hasSize(2);
        ch.advanceTimeBy(TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(expired).isEmpty();
        timeouts.answered();
        ch.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(expired).isEmpty();
        ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(expired).containsExactly("idle");
    }
}
