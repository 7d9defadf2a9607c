package org.icgw.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.icgw.media.FakeLeg.rtp;

import java.net.InetAddress;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.icgw.media.FakeLeg.Rtp;
import org.icgw.media.announce.Prompt;
import org.icgw.media.codec.G711;
import org.icgw.media.rtp.DropReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions over real loopback sockets: fake legs on one side, the engine on ports 40000-40999. */
class MediaSessionTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int PCMU = 0;
    private static final int PCMA = 8;
    private static final int EVENT_PT = 101;
    private static MediaEngine engine;

    private final BlockingQueue<MediaEvent> events = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private FakeLeg inmate;
    private FakeLeg callee;

    @BeforeAll
    static void startEngine() {
        engine = new MediaEngine(new MediaEngineConfig(1, 40000, 40999, true));
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
        assertThat(engine.ports().inUse()).isZero();
    }

    @BeforeEach
    void legs() {
        inmate = new FakeLeg();
        callee = new FakeLeg();
    }

    @AfterEach
    void closeLegs() throws Exception {
        inmate.close();
        callee.close();
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private RelaySession open(MediaSessionConfig config) {
        RelaySession s = (RelaySession) engine.open(config, events::add);
        toClose.add(() -> {
            s.stop();
            s.closeFuture().get(10, TimeUnit.SECONDS);
        });
        return s;
    }

    private RelaySession bridged(int ptA, int ptB) {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        s.setRemote(Leg.A, inmate.address(), ptA, EVENT_PT);
        s.setRemote(Leg.B, callee.address(), ptB, EVENT_PT);
        s.bridge();
        s.barrier().join();
        return s;
    }

    private static byte[] payload(int seed, int len) {
        byte[] p = new byte[len];
        for (int i = 0; i < len; i++) {
            p[i] = (byte) (seed * 31 + i * 7);
        }
        return p;
    }

    private static void assertContinuousStream(List<Rtp> got, int pt) {
        assertThat(got).isNotEmpty();
        long ssrc = got.getFirst().ssrc();
        for (int i = 0; i < got.size(); i++) {
            Rtp r = got.get(i);
            assertThat(r.ssrc()).as("SSRC of packet %d", i).isEqualTo(ssrc);
            assertThat(r.pt()).isEqualTo(pt);
            if (i > 0) {
                Rtp prev = got.get(i - 1);
                assertThat(r.seq()).as("sequence number of packet %d", i).isEqualTo((prev.seq() + 1) & 0xFFFF);
                assertThat(r.ts()).as("timestamp of packet %d", i).isEqualTo((prev.ts() + 160) & 0xFFFFFFFFL);
            }
        }
    }

    @Test
    void engineTotalsCountRelayedAndLostPacketsAndKeepThemAfterTheSessionEnds() throws Exception {
        RtpTotals before = engine.rtpTotals();
        RelaySession s = bridged(PCMU, PCMU);
        for (int seq = 1; seq <= 10; seq++) {
            if (seq != 5) {
                inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, seq, 160L * seq, 0xAAAA, payload(seq, 160)));
            }
        }
        assertThat(callee.receive(9, 2000)).hasSize(9);
        s.barrier().join();
        RtpTotals live = engine.rtpTotals();
        assertThat(live.packetsIn() - before.packetsIn()).isEqualTo(9);
        assertThat(live.packetsOut() - before.packetsOut()).isEqualTo(9);
        assertThat(live.packetsLost() - before.packetsLost()).isEqualTo(1);
        s.stop();
        s.closeFuture().get(10, TimeUnit.SECONDS);
        assertThat(engine.rtpTotals()).isEqualTo(live);

        FakeLeg next = new FakeLeg();
        toClose.add(next);
        RelaySession s2 = open(MediaSessionConfig.defaults(LOOPBACK));
        s2.setRemote(Leg.A, next.address(), PCMU, EVENT_PT);
        s2.setRemote(Leg.B, callee.address(), PCMU, EVENT_PT);
        s2.bridge();
        s2.barrier().join();
        next.send(s2.localRtpPort(Leg.A), rtp(PCMU, 1, 160, 0xCCCC, payload(1, 160)));
        assertThat(callee.receive(1, 2000)).hasSize(1);
        s2.barrier().join();
        assertThat(engine.rtpTotals()).isEqualTo(new RtpTotals(live.packetsIn() + 1, live.packetsOut() + 1,
                live.packetsLost()));
    }

    @Test
    void opensTwoLegsOnEvenPortsOfTheRange() {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        for (Leg leg : Leg.values()) {
            assertThat(s.localRtpPort(leg)).isBetween(40000, 40998);
            assertThat(s.localRtpPort(leg) % 2).isZero();
        }
        assertThat(s.localRtpPort(Leg.A)).isNotEqualTo(s.localRtpPort(Leg.B));
        assertThat(s.endpoint(Leg.A).rtp.eventLoop()).isSameAs(s.endpoint(Leg.B).rtcp.eventLoop());
    }

    @Test
    void relaysPayloadsBothWaysInOrderUnderTheOutgoingStreamsOwnHeader() {
        RelaySession s = bridged(PCMU, PCMU);
        int n = 50;
        for (int i = 0; i < n; i++) {
            inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, 1000 + i, 5000 + 160L * i, 0xAAAA, payload(i, 160)));
        }
        List<Rtp> atCallee = FakeLeg.parse(callee.receive(n, 2000));
        for (int i = 0; i < n; i++) {
            callee.send(s.localRtpPort(Leg.B), rtp(PCMU, 60000 + i, 90000 + 160L * i, 0xBBBB, payload(1000 + i, 160)));
        }
        List<Rtp> atInmate = FakeLeg.parse(inmate.receive(n, 2000));

        assertThat(atCallee).hasSize(n);
        assertThat(atInmate).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(atCallee.get(i).payload()).isEqualTo(payload(i, 160));
            assertThat(atInmate.get(i).payload()).isEqualTo(payload(1000 + i, 160));
        }
        assertContinuousStream(atCallee, PCMU);
        assertContinuousStream(atInmate, PCMU);
        assertThat(atCallee.getFirst().ssrc()).isNotEqualTo(atInmate.getFirst().ssrc());
        // A packet is counted as sent once its send returns on the loop: wait for the loop.
        s.barrier().join();
        assertThat(s.stats(Leg.A).packetsIn()).isEqualTo(n);
        assertThat(s.stats(Leg.B).packetsOut()).isEqualTo(n);
        assertThat(s.stats(Leg.B).packetsIn()).isEqualTo(n);
        assertThat(s.stats(Leg.A).packetsOut()).isEqualTo(n);
        assertThat(s.stats(Leg.A).packetsLost()).isZero();
    }

    @Test
    void sendsToWhereThePeersPacketsComeFromAndKeepsSenderGaps() {
        RelaySession s = bridged(PCMU, PCMU);
        // Sequence 7 is lost upstream: the callee sees the same gap, and the inmate's loss counts it.
        for (int seq : new int[] {5, 6, 8, 9}) {
            inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, seq, 160L * seq, 0xAAAA, payload(seq, 160)));
        }
        List<Rtp> got = FakeLeg.parse(callee.receive(4, 2000));
        assertThat(got).hasSize(4);
        assertThat(got.get(2).seq()).isEqualTo((got.get(1).seq() + 2) & 0xFFFF);
        assertThat(got.get(2).ts()).isEqualTo((got.get(1).ts() + 320) & 0xFFFFFFFFL);
        assertThat(s.stats(Leg.A).packetsLost()).isEqualTo(1);
        assertThat(s.stats(Leg.A).packetsExpected()).isEqualTo(5);
    }

    @Test
    void transcodesPcmuToPcmaExactlyPerG711() {
        RelaySession s = bridged(PCMU, PCMA);
        byte[][] sent = new byte[2][160];
        for (int i = 0; i < 256; i++) {
            sent[i / 160][i % 160] = (byte) i;
        }
        for (int i = 160; i < 320; i++) {
            sent[1][i - 160] = (byte) (i * 13);
        }
        inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, 1, 0, 0xAAAA, sent[0]));
        inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, 2, 160, 0xAAAA, sent[1]));
        List<Rtp> got = FakeLeg.parse(callee.receive(2, 2000));
        assertThat(got).hasSize(2);
        for (int p = 0; p < 2; p++) {
            assertThat(got.get(p).pt()).isEqualTo(PCMA);
            byte[] expected = new byte[160];
            for (int i = 0; i < 160; i++) {
                expected[i] = G711.linearToAlaw(G711.ulawToLinear(sent[p][i]));
            }
            assertThat(got.get(p).payload()).isEqualTo(expected);
        }
        // And back: A-law from the callee reaches the inmate as mu-law.
        callee.send(s.localRtpPort(Leg.B), rtp(PCMA, 1, 0, 0xBBBB, sent[0]));
        Rtp back = FakeLeg.Rtp.of(inmate.receive(1, 2000).getFirst());
        byte[] expected = new byte[160];
        for (int i = 0; i < 160; i++) {
            expected[i] = G711.linearToUlaw(G711.alawToLinear(sent[0][i]));
        }
        assertThat(back.pt()).isEqualTo(PCMU);
        assertThat(back.payload()).isEqualTo(expected);
    }

    @Test
    void dropsAndCountsBadPacketsAndNeverForwardsThem() throws Exception {
        RelaySession s = bridged(PCMU, PCMU);
        int port = s.localRtpPort(Leg.A);
        try (FakeLeg intruder = new FakeLeg()) {
            // Held up, the loop finds the intruder's packet queued behind the first one when the
            // first latches the leg and connects its socket: it is read and dropped, not taken
            // for the latched peer's.
            CountDownLatch hold = new CountDownLatch(1);
            s.eventLoop().execute(() -> {
                try {
                    hold.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            inmate.send(port, rtp(PCMU, 1, 0, 0xAAAA, payload(1, 160)));
            intruder.send(port, rtp(PCMU, 2, 160, 0xAAAA, payload(95, 160)));                  // foreign address
            Thread.sleep(50);
            hold.countDown();
            assertThat(FakeLeg.parse(callee.receive(1, 500))).extracting(r -> r.payload()[0])
                    .containsExactly(payload(1, 160)[0]);
            s.barrier().join();
            assertThat(s.stats(Leg.A).dropped(DropReason.FOREIGN_SOURCE_ADDRESS)).isEqualTo(1);
        }
        inmate.send(port, new byte[] {(byte) 0x80, 0, 0, 2, 0});                              // short
        byte[] v1 = rtp(PCMU, 2, 160, 0xAAAA, payload(99, 160));
        v1[0] = 0x40;
        inmate.send(port, v1);                                                                  // version 1
        byte[] badCsrc = rtp(PCMU, 2, 160, 0xAAAA, new byte[3]);
        badCsrc[0] = (byte) 0x81;
        inmate.send(port, badCsrc);                                                             // CSRC past end
        inmate.send(port, rtp(PCMU, 2, 160, 0xCCCC, payload(98, 160)));                        // foreign SSRC
        inmate.send(port, rtp(18, 2, 160, 0xAAAA, payload(97, 20)));                           // G.729: not negotiated
        try (FakeLeg intruder = new FakeLeg()) {
            // Once latched, the connected socket leaves another source's RTP to the kernel (dropped,
            // answered with ICMP port unreachable): never relayed, not counted here.
            intruder.send(port, rtp(PCMU, 2, 160, 0xAAAA, payload(96, 160)));
            intruder.sendRtcp(port + 1, new byte[] {(byte) 0x80, (byte) 201, 0, 1, 0, 0, 0, 1}); // foreign RTCP
        }
        inmate.send(port, rtp(PCMU, 2, 160, 0xAAAA, payload(2, 160)));

        List<Rtp> got = FakeLeg.parse(callee.receive(10, 500));
        assertThat(got).extracting(r -> r.payload()[0]).containsExactly(payload(2, 160)[0]);
        assertThat(got.get(0).payload()).isEqualTo(payload(2, 160));
        s.barrier().join();
        var stats = s.stats(Leg.A);
        assertThat(stats.packetsIn()).isEqualTo(2);
        assertThat(stats.dropped(DropReason.SHORT)).isEqualTo(1);
        assertThat(stats.dropped(DropReason.MALFORMED)).isEqualTo(2);
        assertThat(stats.dropped(DropReason.FOREIGN_SSRC)).isEqualTo(1);
        assertThat(stats.dropped(DropReason.UNEXPECTED_PAYLOAD_TYPE)).isEqualTo(1);
        assertThat(stats.dropped(DropReason.FOREIGN_SOURCE_ADDRESS)).isEqualTo(2);
        assertThat(s.stats(Leg.B).packetsOut()).isEqualTo(2);
    }

    @Test
    void aPacketTheSocketRefusesIsCountedAsASendFailureNotAsSent() throws Exception {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        s.setRemote(Leg.A, inmate.address(), PCMU, EVENT_PT);
        // The broadcast address without SO_BROADCAST: the kernel refuses every send to it.
        s.setRemote(Leg.B, new InetSocketAddress(InetAddress.getByName("255.255.255.255"), 40_000), PCMU, EVENT_PT);
        s.bridge();
        s.barrier().join();
        for (int i = 0; i < 3; i++) {
            inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, 1 + i, 160L * i, 0xAAAA, payload(i, 160)));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (s.stats(Leg.A).packetsIn() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        s.barrier().join();
        assertThat(s.stats(Leg.A).packetsIn()).isEqualTo(3);
        assertThat(s.stats(Leg.B).sendFailures()).isEqualTo(3);
        assertThat(s.stats(Leg.B).packetsOut()).isZero();
    }

    @Test
    void acceptsOnlyTheSdpAddressUnlessToldToLearnFromAnyAddress() throws Exception {
        InetAddress other = InetAddress.getByName("127.0.0.2");
        RelaySession strict = open(MediaSessionConfig.defaults(LOOPBACK));
        RelaySession learning = open(MediaSessionConfig.defaults(LOOPBACK)
                .withLegs(new LegConfig(true, false, false), LegConfig.calleeDefaults()));
        try (FakeLeg elsewhere = new FakeLeg(other)) {
            for (RelaySession s : List.of(strict, learning)) {
                // The SDP names 127.0.0.2 but the packets come from 127.0.0.1 (a NATed phone).
                s.setRemote(Leg.A, elsewhere.address(), PCMU, -1);
                s.setRemote(Leg.B, callee.address(), PCMU, -1);
                s.bridge();
                s.barrier().join();
                inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, 1, 0, 0xAAAA, payload(1, 160)));
                callee.send(s.localRtpPort(Leg.B), rtp(PCMU, 1, 0, 0xBBBB, payload(2, 160)));
            }
            // Strict: nothing from the inmate relayed; the callee's packet goes to the SDP address.
            assertThat(FakeLeg.parse(callee.receive(2, 500))).extracting(r -> r.payload()[0])
                    .containsExactly(payload(1, 160)[0]);
            assertThat(FakeLeg.parse(elsewhere.receive(1, 500))).extracting(r -> r.payload()[0])
                    .containsExactly(payload(2, 160)[0]);
            // Learning: the inmate's first packet latched its real address, which gets the reply.
            assertThat(FakeLeg.parse(inmate.receive(1, 500))).extracting(r -> r.payload()[0])
                    .containsExactly(payload(2, 160)[0]);
        }
        strict.barrier().join();
        assertThat(strict.stats(Leg.A).dropped(DropReason.FOREIGN_SOURCE_ADDRESS)).isEqualTo(1);
        assertThat(learning.stats(Leg.A).packetsIn()).isEqualTo(1);
    }

    @Test
    void acceptsANewSsrcAfterTheOldStreamFellSilentAndKeepsTheOutgoingStreamContinuous() throws Exception {
        RelaySession s = open(new MediaSessionConfig(LOOPBACK, LegConfig.inmateDefaults(),
                LegConfig.calleeDefaults(), Duration.ofSeconds(30), Duration.ofMillis(100)));
        s.setRemote(Leg.A, inmate.address(), PCMU, -1);
        s.setRemote(Leg.B, callee.address(), PCMU, -1);
        s.bridge();
        s.barrier().join();
        int port = s.localRtpPort(Leg.A);
        inmate.send(port, rtp(PCMU, 10, 1600, 0xAAAA, payload(1, 160)));
        inmate.send(port, rtp(PCMU, 11, 1760, 0xAAAA, payload(2, 160)));
        inmate.send(port, rtp(PCMU, 500, 77777, 0xDDDD, payload(3, 160)));   // too soon: foreign
        assertThat(callee.receive(3, 300)).hasSize(2);                          // also waits > 100 ms
        inmate.send(port, rtp(PCMU, 500, 77777, 0xDDDD, payload(4, 160)));   // after silence: new stream
        inmate.send(port, rtp(PCMU, 501, 77937, 0xDDDD, payload(5, 160)));
        List<Rtp> got = FakeLeg.parse(callee.receive(2, 1000));
        assertThat(got).extracting(r -> r.payload()[0]).containsExactly(payload(4, 160)[0], payload(5, 160)[0]);
        s.barrier().join();
        assertThat(s.stats(Leg.A).dropped(DropReason.FOREIGN_SSRC)).isEqualTo(1);
        assertThat(s.stats(Leg.A).packetsIn()).isEqualTo(4);
        assertThat(s.stats(Leg.A).packetsLost()).isZero();
        assertThat(s.stats(Leg.B).packetsOut()).isEqualTo(4);
    }

    @Test
    void telephoneEventsAreNotRelayed() {
        RelaySession s = bridged(PCMU, PCMU);
        int port = s.localRtpPort(Leg.A);
        inmate.send(port, rtp(PCMU, 1, 0, 0xAAAA, payload(1, 160)));
        // RFC 4733 2.3: event 5, volume 10, duration 160, then the end packet.
        inmate.send(port, rtp(EVENT_PT, 2, 160, 0xAAAA, new byte[] {5, 10, 0, (byte) 160}));
        inmate.send(port, rtp(EVENT_PT, 3, 160, 0xAAAA, new byte[] {5, (byte) 0x8A, 1, 64}));
        inmate.send(port, rtp(PCMU, 4, 480, 0xAAAA, payload(4, 160)));
        List<Rtp> got = FakeLeg.parse(callee.receive(4, 500));
        assertThat(got).extracting(Rtp::pt).containsExactly(PCMU, PCMU);
        assertThat(got).extracting(r -> r.payload()[0]).containsExactly(payload(1, 160)[0], payload(4, 160)[0]);
        assertThat(s.stats(Leg.A).packetsIn()).isEqualTo(4);
    }

    @Test
    void passesRtcpThroughBetweenTheLegsRtcpSockets() {
        RelaySession s = bridged(PCMU, PCMU);
        byte[] rr = {(byte) 0x80, (byte) 201, 0, 1, 0, 0, (byte) 0xAA, (byte) 0xAA};
        byte[] bad = {(byte) 0x80, (byte) 202, 0, 1, 0, 0, (byte) 0xAA, (byte) 0xAA};
        inmate.sendRtcp(s.localRtpPort(Leg.A) + 1, bad);
        inmate.sendRtcp(s.localRtpPort(Leg.A) + 1, rr);
        List<byte[]> got = callee.receiveRtcp(2, 500);
        assertThat(got).hasSize(1);
        assertThat(got.getFirst()).isEqualTo(rr);
        assertThat(s.stats(Leg.A).rtcpIn()).isEqualTo(1);
        assertThat(s.stats(Leg.A).dropped(DropReason.MALFORMED)).isEqualTo(1);
        assertThat(s.stats(Leg.B).rtcpOut()).isEqualTo(1);
    }

    @Test
    void aFrameSourcePlaysPacedAndEndsWithPromptFinished() throws Exception {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        s.setRemote(Leg.A, inmate.address(), PCMA, -1);
        int[] calls = {0};
        s.playFrames(Leg.A, frame -> {
            if (calls[0] == 3) {
                return 0;
            }
            Arrays.fill(frame, (short) (1000 * ++calls[0]));
            return frame.length;
        });
        List<Rtp> got = FakeLeg.parse(inmate.receive(4, 500));
        assertThat(got).hasSize(3);
        assertContinuousStream(got, PCMA);
        for (int i = 0; i < 3; i++) {
            byte[] expected = new byte[160];
            Arrays.fill(expected, G711.linearToAlaw(1000 * (i + 1)));
            assertThat(got.get(i).payload()).isEqualTo(expected);
        }
        assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new MediaEvent.PromptFinished(Leg.A));
    }

    @Test
    void mixedAnnouncementReachesBothLegsWithoutBreakingTheirStreams() throws Exception {
        RelaySession s = bridged(PCMU, PCMU);
        short[] announcement = new short[25 * 160];
        for (int i = 0; i < announcement.length; i++) {
            announcement[i] = (short) Math.round(8000 * Math.sin(2 * Math.PI * 1000 * i / 8000.0) + 3 * (i % 50));
        }
        byte[] silence = new byte[160];
        Arrays.fill(silence, (byte) 0xFF);  // mu-law zero
        int total = 100;
        ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor();
        try {
            int[] next = {0};
            ScheduledFuture<?> f = sender.scheduleAtFixedRate(() -> {
                int i = next[0]++;
                if (i < total) {
                    inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, 7000 + i, 160L * i, 0xAAAA, silence));
                }
                if (i == 25) {
                    s.mixIntoBoth(Prompt.of(announcement), 1.0f);
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            List<Rtp> atCallee = FakeLeg.parse(callee.receive(1000, 1000));
            List<Rtp> atInmate = FakeLeg.parse(inmate.receive(1000, 1000));
            f.cancel(false);

            assertContinuousStream(atCallee, PCMU);
            short[] heard = decodeUlaw(atCallee);
            short[] expected = new short[announcement.length];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = G711.ulawToLinear(G711.linearToUlaw(announcement[i]));
            }
            assertThat(indexOf(heard, expected)).as("announcement in the callee's audio").isNotNegative();
            long nonSilent = 0;
            for (short v : heard) {
                nonSilent += v != 0 ? 1 : 0;
            }
            long expectedNonSilent = Arrays.stream(toInts(expected)).filter(v -> v != 0).count();
            assertThat(nonSilent).isEqualTo(expectedNonSilent);

            // The callee sent nothing: the inmate hears the announcement alone, paced, then nothing.
            assertThat(atInmate).hasSize(25);
            assertContinuousStream(atInmate, PCMU);
            assertThat(decodeUlaw(atInmate)).isEqualTo(expected);
        } finally {
            sender.shutdownNow();
        }
    }

    private static int[] toInts(short[] s) {
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            r[i] = s[i];
        }
        return r;
    }

    private static short[] decodeUlaw(List<Rtp> packets) {
        short[] out = new short[packets.stream().mapToInt(r -> r.payload().length).sum()];
        int w = 0;
        for (Rtp r : packets) {
            G711.decodeUlaw(r.payload(), 0, out, w, r.payload().length);
            w += r.payload().length;
        }
        return out;
    }

    private static int indexOf(short[] hay, short[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void raisesMediaTimeoutOnceForASilentLeg() throws Exception {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK).withMediaTimeout(Duration.ofMillis(300)));
        s.setRemote(Leg.A, inmate.address(), PCMU, -1);
        s.barrier().join();
        for (int i = 0; i < 3; i++) {
            inmate.send(s.localRtpPort(Leg.A), rtp(PCMU, i, 160L * i, 0xAAAA, payload(i, 160)));
        }
        MediaEvent e = events.poll(3, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(MediaEvent.MediaTimeout.class);
        MediaEvent.MediaTimeout t = (MediaEvent.MediaTimeout) e;
        assertThat(t.leg()).isEqualTo(Leg.A);
        assertThat(t.silentFor()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        // Once per silent period; leg B has no remote and is not watched.
        assertThat(events.poll(700, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void stopReturnsThePortsAndIsIdempotent() {
        int before = engine.ports().inUse();
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        assertThat(engine.ports().inUse()).isEqualTo(before + 2);
        s.stop();
        s.stop();
        s.closeFuture().join();
        assertThat(engine.ports().inUse()).isEqualTo(before);
        assertThat(s.endpoint(Leg.A).rtp.isOpen()).isFalse();
    }

    @Test
    void unusedRemoteAddressesAreRejected() {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        InetSocketAddress addr = inmate.address();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.setRemote(Leg.A, addr, 18, -1))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.setRemote(Leg.A, addr, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void playsAPromptOnceThenReportsItFinished() throws Exception {
        RelaySession s = open(MediaSessionConfig.defaults(LOOPBACK));
        s.setRemote(Leg.B, callee.address(), PCMU, -1);
        short[] samples = new short[400];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) (i * 50 - 10000);
        }
        s.play(Leg.B, Prompt.of(samples), false);
        List<Rtp> got = FakeLeg.parse(callee.receive(10, 500));
        assertThat(got).hasSize(3);
        assertContinuousStream(got, PCMU);
        short[] heard = decodeUlaw(got);
        for (int i = 0; i < heard.length; i++) {
            short sent = i < samples.length ? samples[i] : 0;
            assertThat(heard[i]).as("sample %d", i).isEqualTo(G711.ulawToLinear(G711.linearToUlaw(sent)));
        }
        assertThat(events.poll(2, TimeUnit.SECONDS)).isEqualTo(new MediaEvent.PromptFinished(Leg.B));
    }

    @Test
    void reportsRfc4733DigitsAndFlashFromEitherLeg() throws Exception {
        RelaySession s = bridged(PCMU, PCMU);
        // RFC 4733 2.3: event, E|R|volume, duration; the end packet is sent three times (2.5.1.4).
        int seq = 1;
        for (byte[] p : new byte[][] {{5, 10, 0, (byte) 160}, {5, (byte) 0x8A, 3, 32}, {5, (byte) 0x8A, 3, 32}}) {
            inmate.send(s.localRtpPort(Leg.A), rtp(EVENT_PT, seq++, 8000, 0xAAAA, p));
        }
        for (byte[] p : new byte[][] {{16, 10, 1, 64}, {16, (byte) 0x8A, 6, 64}}) {
            callee.send(s.localRtpPort(Leg.B), rtp(EVENT_PT, seq++, 16000, 0xBBBB, p));
        }
        List<MediaEvent> got = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            got.add(events.poll(5, TimeUnit.SECONDS));
        }
        assertThat(got).hasSize(2);
        MediaEvent.DtmfDetected digit = (MediaEvent.DtmfDetected) got.get(0);
        assertThat(digit.leg()).isEqualTo(Leg.A);
        assertThat(digit.digit()).isEqualTo('5');
        assertThat(digit.method()).isEqualTo(DtmfMethod.RFC4733);
        assertThat(got.get(1)).isInstanceOf(MediaEvent.FlashDetected.class);
        assertThat(got.get(1).leg()).isEqualTo(Leg.B);
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    /** {@code frames} 20 ms mu-law frames of two summed sines, each of amplitude {@code amp}. */
    private static byte[][] dualTone(double f1, double f2, int amp, int frames) {
        byte[][] out = new byte[frames][160];
        for (int i = 0; i < frames * 160; i++) {
            double t = i / 8000.0;
            double v = amp * (Math.sin(2 * Math.PI * f1 * t) + Math.sin(2 * Math.PI * f2 * t));
            out[i / 160][i % 160] = G711.linearToUlaw((int) Math.round(v));
        }
        return out;
    }

    private static void sendFrames(FakeLeg from, int port, byte[][] frames, int firstSeq, long ssrc) {
        for (int i = 0; i < frames.length; i++) {
            from.send(port, rtp(PCMU, firstSeq + i, 160L * (firstSeq + i), ssrc, frames[i]));
        }
    }

    @Test
    void detectsInbandDtmfAndTheCalleesDialTone() throws Exception {
        RelaySession s = bridged(PCMU, PCMU);
        byte[] silence = new byte[160];
        Arrays.fill(silence, (byte) 0xFF);
        // Digit 8 (852 + 1336 Hz) for 100 ms at about -10 dBm0 per tone, then silence.
        sendFrames(inmate, s.localRtpPort(Leg.A), dualTone(852, 1336, 7000, 5), 1, 0xAAAA);
        sendFrames(inmate, s.localRtpPort(Leg.A), new byte[][] {silence, silence, silence}, 6, 0xAAAA);
        MediaEvent e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).isInstanceOf(MediaEvent.DtmfDetected.class);
        assertThat(((MediaEvent.DtmfDetected) e).digit()).isEqualTo('8');
        assertThat(((MediaEvent.DtmfDetected) e).method()).isEqualTo(DtmfMethod.INBAND);
        assertThat(e.leg()).isEqualTo(Leg.A);

        // 1.5 s of precise dial tone (350 + 440 Hz) from the callee.
        sendFrames(callee, s.localRtpPort(Leg.B), dualTone(350, 440, 5000, 75), 1, 0xBBBB);
        MediaEvent tone = events.poll(5, TimeUnit.SECONDS);
        assertThat(tone).isInstanceOf(MediaEvent.DialToneDetected.class);
        assertThat(tone.leg()).isEqualTo(Leg.B);
        // The same tone from the inmate's leg is not watched for.
        sendFrames(inmate, s.localRtpPort(Leg.A), dualTone(350, 440, 5000, 75), 9, 0xAAAA);
        assertThat(events.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void callControlSwitchesInbandDetectorsPerLeg() throws Exception {
        RelaySession s = bridged(PCMU, PCMU);
        byte[] silence = new byte[160];
        Arrays.fill(silence, (byte) 0xFF);
        byte[][] pause = {silence, silence, silence};
        int portA = s.localRtpPort(Leg.A);
        // In-band DTMF off on the inmate's leg, dial tone on: the digit goes unreported, the tone not.
        s.detectInband(Leg.A, false, true);
        sendFrames(inmate, portA, dualTone(852, 1336, 7000, 5), 1, 0xAAAA);
        sendFrames(inmate, portA, pause, 6, 0xAAAA);
        sendFrames(inmate, portA, dualTone(350, 440, 5000, 75), 9, 0xAAAA);
        MediaEvent tone = events.poll(5, TimeUnit.SECONDS);
        assertThat(tone).isInstanceOf(MediaEvent.DialToneDetected.class);
        assertThat(tone.leg()).isEqualTo(Leg.A);
        assertThat(events.poll(500, TimeUnit.MILLISECONDS)).isNull();
        // Both switched back: the digit is reported, nothing else.
        s.detectInband(Leg.A, true, false);
        sendFrames(inmate, portA, pause, 84, 0xAAAA);
        sendFrames(inmate, portA, dualTone(941, 1477, 7000, 5), 87, 0xAAAA);
        sendFrames(inmate, portA, pause, 92, 0xAAAA);
        MediaEvent digit = events.poll(5, TimeUnit.SECONDS);
        assertThat(digit).isInstanceOf(MediaEvent.DtmfDetected.class);
        assertThat(((MediaEvent.DtmfDetected) digit).digit()).isEqualTo('#');
        assertThat(digit.leg()).isEqualTo(Leg.A);
        sendFrames(inmate, portA, dualTone(350, 440, 5000, 75), 95, 0xAAAA);
        assertThat(events.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void recordsBothLegsToAStereoWavInmateLeft(@TempDir Path dir) throws Exception {
        RelaySession s = bridged(PCMU, PCMA);
        Path wav = dir.resolve("call.wav");
        s.record(wav);
        s.barrier().join();
        int frames = 25;
        byte[][] fromInmate = new byte[frames][160];
        byte[][] fromCallee = new byte[frames][160];
        for (int i = 0; i < frames * 160; i++) {
            fromInmate[i / 160][i % 160] = (byte) (0x10 + i % 0x60);
            fromCallee[i / 160][i % 160] = (byte) (0x80 + i % 0x50);
        }
        sendFrames(inmate, s.localRtpPort(Leg.A), fromInmate, 1, 0xAAAA);
        for (int i = 0; i < frames; i++) {
            callee.send(s.localRtpPort(Leg.B), rtp(PCMA, 300 + i, 160L * i, 0xBBBB, fromCallee[i]));
        }
        assertThat(callee.receive(frames, 1000)).hasSize(frames);
        assertThat(inmate.receive(frames, 1000)).hasSize(frames);
        s.stop();
        s.closeFuture().get(10, TimeUnit.SECONDS);

        short[] left;
        short[] right;
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            AudioFormat f = in.getFormat();
            assertThat(f.getChannels()).isEqualTo(2);
            assertThat(f.getSampleRate()).isEqualTo(8000f);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            byte[] data = in.readAllBytes();
            int n = data.length / 4;
            left = new short[n];
            right = new short[n];
            for (int i = 0; i < n; i++) {
                left[i] = (short) ((data[4 * i] & 0xFF) | (data[4 * i + 1] << 8));
                right[i] = (short) ((data[4 * i + 2] & 0xFF) | (data[4 * i + 3] << 8));
            }
        }
        short[] inmateAudio = new short[frames * 160];
        short[] calleeAudio = new short[frames * 160];
        for (int i = 0; i < frames; i++) {
            G711.decodeUlaw(fromInmate[i], 0, inmateAudio, 160 * i, 160);
            G711.decodeAlaw(fromCallee[i], 0, calleeAudio, 160 * i, 160);
        }
        assertThat(indexOf(left, inmateAudio)).as("inmate's audio on the left").isNotNegative();
        assertThat(indexOf(right, calleeAudio)).as("callee's audio on the right").isNotNegative();
        assertThat(Arrays.stream(toInts(left)).filter(v -> v != 0).count()).isEqualTo(frames * 160L);
        assertThat(Arrays.stream(toInts(right)).filter(v -> v != 0).count()).isEqualTo(frames * 160L);
    }
}
