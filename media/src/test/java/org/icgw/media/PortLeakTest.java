package org.icgw.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Ports come back whatever ends a session: stop, a media timeout acted on by the listener, a
 * socket failing, a bind failure while opening, port exhaustion, and the engine closing.
 */
class PortLeakTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void noPortLeaksAfterThousandsOfSessionsEndingInEveryWay() throws Exception {
        // 100 pairs: 12000-12199, below the kernel's ephemeral range (32768-60999) so that no other
        // process's outgoing sockets take them, and outside the gateway's default range (20000-29999)
        // and the peer benchmark's rtpengine range (30000-39999). Some ports are held by another socket so that binds fail.
        List<DatagramSocket> squatters = new ArrayList<>();
        for (int port : new int[] {12010, 12031, 12100, 12151, 12198}) {
            squatters.add(new DatagramSocket(new InetSocketAddress(LOOPBACK, port)));
        }
        MediaEngine engine = new MediaEngine(new MediaEngineConfig(2, 12000, 12199, true));
        try {
            int sessions = 2000;
            int workers = 4;
            try (ExecutorService pool = Executors.newFixedThreadPool(workers)) {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < workers; w++) {
                    int worker = w;
                    done.add(pool.submit(() -> {
                        for (int i = worker; i < sessions; i += workers) {
                            runOne(engine, i % 3);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            }
            assertThat(engine.ports().inUse()).isZero();
            assertThat(engine.activeSessions()).isZero();
            assertThat(engine.bindFailures()).isGreaterThanOrEqualTo(sessions * 2 / 100);

            // Every pair not squatted on can be bound again at once: no socket was left open.
            int free = engine.ports().capacity() - squatters.size();
            List<MediaSession> all = new ArrayList<>();
            for (int i = 0; i < free / 2; i++) {
                all.add(engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { }));
            }
            assertThat(engine.ports().inUse()).isEqualTo(2 * (free / 2));
            // Closing the engine ends the sessions still open.
            engine.close();
            for (MediaSession s : all) {
                assertThat(s.closeFuture()).isCompleted();
            }
            assertThat(engine.ports().inUse()).isZero();
            assertThat(engine.activeSessions()).isZero();
        } finally {
            engine.close();
            squatters.forEach(DatagramSocket::close);
        }
    }

    private static void runOne(MediaEngine engine, int how) throws Exception {
        switch (how) {
            case 0 -> {
                MediaSession s = engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { });
                s.stop();
                s.closeFuture().get(10, TimeUnit.SECONDS);
            }
            case 1 -> {
                AtomicReference<MediaSession> self = new AtomicReference<>();
                MediaSession s = engine.open(MediaSessionConfig.defaults(LOOPBACK)
                        .withMediaTimeout(Duration.ofMillis(20)), e -> {
                            if (e instanceof MediaEvent.MediaTimeout) {
                                self.get().stop();
                            }
                        });
                self.set(s);
                s.setRemote(Leg.A, new InetSocketAddress(LOOPBACK, 9), 0, -1);
                s.closeFuture().get(10, TimeUnit.SECONDS);
            }
            default -> {
                RelaySession s = (RelaySession) engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { });
                // A socket failing ends the whole session.
                s.endpoint(Leg.B).rtcp.close();
                s.closeFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void exhaustionIsReportedAndReturnsWhatWasTaken() {
        MediaEngine engine = new MediaEngine(new MediaEngineConfig(1, 12200, 12209, true));
        try {
            engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { });
            engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { });
            assertThat(engine.ports().inUse()).isEqualTo(4);
            assertThatThrownBy(() -> engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { }))
                    .isInstanceOf(MediaOpenException.class)
                    .extracting(e -> ((MediaOpenException) e).reason())
                    .isEqualTo(MediaOpenException.Reason.PORTS_EXHAUSTED);
            assertThat(engine.ports().inUse()).isEqualTo(4);
            assertThat(engine.activeSessions()).isEqualTo(2);
        } finally {
            engine.close();
        }
        assertThat(engine.ports().inUse()).isZero();
        assertThatThrownBy(() -> engine.open(MediaSessionConfig.defaults(LOOPBACK), e -> { }))
                .isInstanceOf(MediaOpenException.class)
                .extracting(e -> ((MediaOpenException) e).reason())
                .isEqualTo(MediaOpenException.Reason.ENGINE_CLOSED);
    }
}
