package org.icgw.bench.relay;

import io.netty.util.ResourceLeakDetector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.icgw.media.Leg;
import org.icgw.media.LegConfig;
import org.icgw.media.MediaEngine;
import org.icgw.media.MediaEngineConfig;
import org.icgw.media.MediaSession;
import org.icgw.media.MediaSessionConfig;
import org.icgw.media.announce.Prompt;
import org.icgw.media.announce.PromptLibrary;

/**
 * The gateway side of the relay benchmark: opens N bridged sessions with recording, in-band
 * DTMF and dial-tone detection and a periodic announcement mixed into both directions, writes
 * their RTP ports ("portA portB" per line) to a file, then relays until terminated.
 *
 * <p>Both legs learn their peer from the first packet (the load generator's sockets are bound
 * after the ports file is read), exactly as a NATed phone would be handled.
 *
 * <p>Usage: {@code RelayHarness <sessions> <portsFile> <recordDir> <announceEverySeconds> <ioThreads>
 * <record 0|1> <detect 0|1> [inmateDtmf 0|1]}; turning recording or detection off isolates
 * their cost; {@code inmateDtmf 0} turns the inmate's in-band DTMF off after bridging, as the
 * gateway does.
 */
public final class RelayHarness {
    private RelayHarness() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path portsFile = Path.of(args[1]);
        Path recordDir = Files.createDirectories(Path.of(args[2]));
        int announceEvery = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        boolean record = "1".equals(args[5]);
        boolean detect = "1".equals(args[6]);
        // As the gateway does once a call is bridged: the inmate's in-band DTMF off.
        boolean inmateDtmfOff = args.length > 7 && "0".equals(args[7]);

        // As the gateway's Main: no leak-detector stack traces on the packet path.
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        MediaEngine engine = new MediaEngine(new MediaEngineConfig(threads, 20000, 29999, true));
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            engine.close();
            done.countDown();
        }));
        Prompt announcement = announcement();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaSessionConfig config = new MediaSessionConfig(loopback, new LegConfig(true, detect, false),
                new LegConfig(true, detect, detect), Duration.ofSeconds(60), MediaSessionConfig.DEFAULT_SSRC_TAKEOVER);
        InetSocketAddress unknownYet = new InetSocketAddress(loopback, 9);
        List<MediaSession> sessions = new ArrayList<>(n);
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < n; i++) {
            MediaSession s = engine.open(config, event -> { });
            s.setRemote(Leg.A, unknownYet, 0, 101);
            s.setRemote(Leg.B, unknownYet, 0, 101);
            s.bridge();
            if (inmateDtmfOff) {
                s.detectInband(Leg.A, false, false);
            }
            if (record) {
                s.record(recordDir.resolve("call-" + i + ".wav"));
            }
            sessions.add(s);
            ports.append(s.localRtpPort(Leg.A)).append(' ').append(s.localRtpPort(Leg.B)).append('\n');
        }
        ScheduledExecutorService callControl = Executors.newSingleThreadScheduledExecutor();
        long periodMs = announceEvery * 1000L;
        for (int i = 0; i < n; i++) {
            MediaSession s = sessions.get(i);
            callControl.scheduleAtFixedRate(() -> s.mixIntoBoth(announcement, 0.5f),
                    periodMs * i / n, periodMs, TimeUnit.MILLISECONDS);
        }
        Path tmp = portsFile.resolveSibling(portsFile.getFileName() + ".tmp");
        Files.writeString(tmp, ports);
        Files.move(tmp, portsFile, StandardCopyOption.ATOMIC_MOVE);
        done.await();
        callControl.shutdownNow();
    }

    /** The periodic "this call is from a correctional facility" announcement, or a tone if absent. */
    private static Prompt announcement() throws IOException {
        PromptLibrary library = PromptLibrary.fromClasspath("prompts", RelayHarness.class.getClassLoader());
        return library.get("en", "periodic_announcement").orElseGet(() -> {
            short[] tone = new short[3 * 8000];
            for (int i = 0; i < tone.length; i++) {
                tone[i] = (short) (6000 * Math.sin(2 * Math.PI * 440 * i / 8000.0));
            }
            return Prompt.of(tone);
        });
    }
}
