package org.icgw.media;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.DatagramSocketAddress;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.icgw.media.announce.FrameSource;
import org.icgw.media.announce.Mixer;
import org.icgw.media.announce.Prompt;
import org.icgw.media.announce.PromptPlayer;
import org.icgw.media.codec.G711;
import org.icgw.media.record.CallRecorder;
import org.icgw.media.rtp.DropReason;
import org.icgw.media.rtp.LegStats;
import org.icgw.media.rtp.RtcpPacket;
import org.icgw.media.rtp.RtpPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MediaSession} of one call: four sockets on one event loop, which alone touches the
 * state below (style point 4). Public methods hand their work to that loop.
 *
 * <p>Receive path of a leg's RTP packet, in order: parse and validate (RFC 3550 5.1); source
 * address check (SDP IP, then the latched address); payload type check; SSRC lock; sequence and
 * jitter accounting; telephone-event packets go to the leg's observer and stop there; audio is
 * decoded once when an observer needs it or an announcement is being mixed; then, if bridged
 * and no prompt plays to the other leg, it is re-headered (transcoded, or mixed with the
 * announcement and re-encoded, in place) and sent on the other leg's socket without copying.
 *
 * <p>SSRC changes: once a leg's SSRC is locked, a packet from the latched address with another
 * SSRC is dropped as foreign unless the locked stream has been silent for the configured
 * takeover time, in which case it starts a new stream (statistics and timing restart, the
 * relayed stream is rebased so the other leg sees no discontinuity). A new {@code setRemote}
 * address forgets the latch and the lock.
 */
final class RelaySession implements MediaSession {
    private static final Logger LOG = LoggerFactory.getLogger(RelaySession.class);
    private static final long FRAME_NANOS = 20_000_000L;
    /** Receive buffer of a datagram read outside Netty's read loop (as MediaEngine's allocator). */
    private static final int RECEIVE_BUFFER = 2048;
    /** Datagrams read at most when a socket is connected (its receive queue at that moment). */
    private static final int DRAIN_LIMIT = 256;
    private static final long NANOS_PER_SAMPLE = 125_000L;
    /** Announcement frames read ahead of the clock for the packets relayed to a leg. */
    static final int MIX_LEAD_FRAMES = 2;
    /** Nothing relayed to a leg for this long: the clock sends it the announcement alone. */
    static final long PACE_AFTER_NANOS = 30_000_000L;
    private final MediaEngine engine;
    private final EventLoop loop;
    private final MediaSessionConfig config;
    private final MediaEventListener listener;
    private final Endpoint a;
    private final Endpoint b;
    private final LegDsp dspA;
    private final LegDsp dspB;
    private final RtpPacket parser = new RtpPacket();
    private final long startNanos = System.nanoTime();
    private final long timeoutNanos;
    private final long takeoverNanos;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final short[] frame = new short[OutStream.FRAME_SAMPLES];
    private final short[] mixFrame = new short[OutStream.FRAME_SAMPLES];
    private final short[] mixPacket = new short[Endpoint.MAX_SAMPLES];
    /** Payload bytes of the packet being handled or the frame being sent (loop-confined). */
    private final byte[] octets = new byte[Endpoint.MAX_SAMPLES];

    private boolean bridged;
    private boolean stopping;
    private FrameSource announcement;
    private float announcementGain;
    /** The next tick reads the announcement's lead frames as well. */
    private boolean mixPriming;
    private ScheduledFuture<?> pacer;
    private ScheduledFuture<?> timeoutCheck;
    private int channelsOpen;
    private CallRecorder recorder;
    private CompletableFuture<Void> recorderClosed = CompletableFuture.completedFuture(null);
    private boolean finished;

    RelaySession(MediaEngine engine, EventLoop loop, MediaSessionConfig config, MediaEventListener listener) {
        this.engine = engine;
        this.loop = loop;
        this.config = config;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timeoutNanos = config.mediaTimeout().toNanos();
        this.takeoverNanos = config.ssrcTakeover().toNanos();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        // RFC 3550 5.1: random initial SSRC, sequence number and timestamp.
        this.a = new Endpoint(Leg.A, config.legA(), new OutStream(rnd.nextInt(), rnd.nextInt(), rnd.nextInt()));
        this.b = new Endpoint(Leg.B, config.legB(), new OutStream(rnd.nextInt(), rnd.nextInt(), rnd.nextInt()));
        this.dspA = new LegDsp(Leg.A, config.legA(), this::emit);
        this.dspB = new LegDsp(Leg.B, config.legB(), this::emit);
        a.observer = dspA;
        b.observer = dspB;
    }

    EventLoop eventLoop() {
        return loop;
    }

    /** Completes once every task handed to the session's loop before this call has run. */
    CompletableFuture<Void> barrier() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        runOnLoop(() -> done.complete(null));
        return done;
    }

    Endpoint endpoint(Leg leg) {
        return leg == Leg.A ? a : b;
    }

    private Endpoint other(Endpoint ep) {
        return ep == a ? b : a;
    }

    /** Handler for a leg's RTP socket. */
    ChannelInboundHandlerAdapter rtpHandler(Leg leg) {
        Endpoint ep = endpoint(leg);
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                onRtp(ep, (DatagramPacket) msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.debug("RTP socket of leg {} port {}: {}", ep.leg, ep.rtpPort, cause.toString());
            }
        };
    }

    /** Handler for a leg's RTCP socket. */
    ChannelInboundHandlerAdapter rtcpHandler(Leg leg) {
        Endpoint ep = endpoint(leg);
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                onRtcp(ep, (DatagramPacket) msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.debug("RTCP socket of leg {} port {}: {}", ep.leg, ep.rtpPort + 1, cause.toString());
            }
        };
    }

    /** Called by the engine once both sockets of {@code leg} are bound (on the opening thread). */
    void attach(Leg leg, int rtpPort, Channel rtp, Channel rtcp) {
        Endpoint ep = endpoint(leg);
        ep.rtpPort = rtpPort;
        ep.rtp = rtp;
        ep.rtcp = rtcp;
    }

    /** Starts timers and watches the sockets: any socket closing, for whatever reason, ends the session. */
    void start() {
        runOnLoop(() -> {
            for (Endpoint ep : new Endpoint[] {a, b}) {
                for (Channel ch : new Channel[] {ep.rtp, ep.rtcp}) {
                    channelsOpen++;
                    ch.closeFuture().addListener(f -> onChannelClosed());
                }
            }
            long period = Math.clamp(timeoutNanos / 4, 10_000_000L, 250_000_000L);
            timeoutCheck = loop.scheduleAtFixedRate(this::checkTimeouts, period, period, TimeUnit.NANOSECONDS);
        });
    }

    // ---- MediaSession ----

    @Override
    public int localRtpPort(Leg leg) {
        return endpoint(leg).rtpPort;
    }

    @Override
    public void setRemote(Leg leg, InetSocketAddress rtp, int payloadType, int telephoneEventPt) {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(rtp, "rtp");
        if (rtp.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + rtp);
        }
        if (payloadType != G711.PAYLOAD_PCMU && payloadType != G711.PAYLOAD_PCMA) {
            throw new IllegalArgumentException("payload type must be 0 (PCMU) or 8 (PCMA): " + payloadType);
        }
        if (telephoneEventPt != -1 && (telephoneEventPt < 0 || telephoneEventPt > 127 || telephoneEventPt == payloadType)) {
            throw new IllegalArgumentException("bad telephone-event payload type " + telephoneEventPt);
        }
        runOnLoop(() -> {
            Endpoint ep = endpoint(leg);
            if (!rtp.equals(ep.sdpRtp)) {
                ep.resetLearned();
                disconnect(ep);
            }
            ep.sdpRtp = rtp;
            ep.payloadType = payloadType;
            ep.telephoneEventPt = telephoneEventPt;
            ep.remoteSetNanos = System.nanoTime();
        });
    }

    @Override
    public void play(Leg leg, Prompt prompt, boolean loop) {
        Objects.requireNonNull(prompt, "prompt");
        playFrames(leg, loop ? PromptPlayer.looped(prompt, 0) : PromptPlayer.once(prompt));
    }

    @Override
    public void mixIntoBoth(Prompt announcement, float gain) {
        Objects.requireNonNull(announcement, "announcement");
        mixFrames(PromptPlayer.once(announcement), gain);
    }

    @Override
    public void playFrames(Leg leg, FrameSource source) {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(source, "source");
        runOnLoop(() -> {
            endpoint(leg).player = source;
            updatePacer();
        });
    }

    @Override
    public void stopPlay(Leg leg) {
        Objects.requireNonNull(leg, "leg");
        runOnLoop(() -> {
            endpoint(leg).player = null;
            updatePacer();
        });
    }

    /** Mixes {@code source} into what both legs hear until it ends; replaces a running one. */
    void mixFrames(FrameSource source, float gain) {
        Objects.requireNonNull(source, "source");
        if (!(gain >= 0f && gain <= 4f)) {
            throw new IllegalArgumentException("gain must be within 0..4: " + gain);
        }
        runOnLoop(() -> {
            announcement = source;
            announcementGain = gain;
            a.mix.clear();
            b.mix.clear();
            mixPriming = true;
            updatePacer();
        });
    }

    @Override
    public void detectInband(Leg leg, boolean dtmf, boolean dialTone) {
        Objects.requireNonNull(leg, "leg");
        runOnLoop(() -> (leg == Leg.A ? dspA : dspB).detectInband(dtmf, dialTone));
    }

    @Override
    public void bridge() {
        runOnLoop(() -> bridged = true);
    }

    @Override
    public void unbridge() {
        runOnLoop(() -> bridged = false);
    }

    @Override
    public void record(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        long origin = (System.nanoTime() - startNanos) / NANOS_PER_SAMPLE;
        CallRecorder r = new CallRecorder(file, origin, CallRecorder.Settings.defaults(), engine.recordings());
        boolean queued = runOnLoop(() -> {
            if (stopping || recorder != null) {
                LOG.warn("recording to {} refused: session {}", file, stopping ? "stopped" : "already recording");
                engine.closeOffPath(r);
                return;
            }
            recorder = r;
            dspA.recordTo((pos, pcm, off, len) -> r.offer(CallRecorder.INMATE, pos, pcm, off, len));
            dspB.recordTo((pos, pcm, off, len) -> r.offer(CallRecorder.CALLEE, pos, pcm, off, len));
        });
        if (!queued) {
            engine.closeOffPath(r);
        }
    }

    @Override
    public void stop() {
        runOnLoop(this::doStop);
    }

    @Override
    public LegStats stats(Leg leg) {
        return endpoint(leg).stats;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closed;
    }

    private boolean runOnLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            // The engine's loops are shutting down; its close() stops every session.
            LOG.debug("session task refused: event loop shut down");
            return false;
        }
    }

    // ---- receive path ----

    private void onRtp(Endpoint in, DatagramPacket dp) {
        boolean handedOff = false;
        boolean connectAfter = false;
        try {
            if (stopping) {
                return;
            }
            ByteBuf buf = dp.content();
            LegStats st = in.stats;
            RtpPacket.Verdict verdict = parser.parse(buf);
            if (!verdict.isValid()) {
                st.onDropped(verdict.dropReason());
                return;
            }
            InetSocketAddress src = dp.sender();
            if (!in.acceptsRtpSource(src)) {
                st.onDropped(DropReason.FOREIGN_SOURCE_ADDRESS);
                return;
            }
            int pt = parser.payloadType();
            boolean audio = pt == in.payloadType;
            if (!audio && pt != in.telephoneEventPt) {
                st.onDropped(DropReason.UNEXPECTED_PAYLOAD_TYPE);
                return;
            }
            long now = System.nanoTime();
            Endpoint out = other(in);
            boolean newStream = false;
            long ssrc = parser.ssrc();
            if (!in.ssrcLocked) {
                newStream = true;
            } else if (ssrc != in.ssrc) {
                if (now - in.lastRxNanos < takeoverNanos) {
                    st.onDropped(DropReason.FOREIGN_SSRC);
                    return;
                }
                st.onStreamRestart();
                newStream = true;
            }
            if (newStream) {
                in.ssrcLocked = true;
                in.ssrc = ssrc;
                out.out.requestRebase();
            }
            if (in.latchedRtp == null) {
                in.latchedRtp = src;
                connectAfter = buf.hasMemoryAddress();
            }
            in.lastRxNanos = now;
            in.timeoutRaised = false;
            st.onReceived(parser.sequenceNumber(), parser.timestamp(), now, audio);

            if (!audio) {
                int len = Math.min(parser.payloadLength(), in.eventPayload.length);
                buf.getBytes(parser.payloadOffset(), in.eventPayload, 0, len);
                in.observer.telephoneEvent(parser.timestamp(), in.eventPayload, len);
                return;
            }
            // While an announcement is mixed, it is added to the relayed packets themselves; only a
            // prompt playing to the other leg replaces this leg's audio (RelaySession#tick).
            boolean relaying = bridged && out.player == null;
            boolean mixing = relaying && out.mix.size() > 0;
            int n = 0;
            if (in.observer.wantsAudio() || mixing) {
                n = decode(in, buf);
                long wall = (now - startNanos) / NANOS_PER_SAMPLE;
                in.observer.audio(in.pcm, n, in.samplePosition(parser.timestamp(), wall, newStream));
            }
            if (relaying) {
                InetSocketAddress target = out.rtpTarget();
                if (target != null && out.payloadType >= 0) {
                    if (mixing) {
                        mixInto(in, out, buf, n);
                    }
                    relay(in, out, buf, target, now, mixing);
                    handedOff = true;
                }
            }
        } finally {
            if (!handedOff) {
                dp.release();
            }
        }
        if (connectAfter) {
            connect(in);
        }
    }

    /**
     * Adds the announcement samples pending for {@code out} to the decoded packet and writes it
     * back encoded in {@code out}'s payload type (in place: the payload keeps its length).
     */
    private void mixInto(Endpoint in, Endpoint out, ByteBuf buf, int n) {
        short[] pcm = in.pcm;
        short[] ann = mixPacket;
        out.mix.pop(ann, n);
        for (int i = 0; i < n; i++) {
            pcm[i] = Mixer.saturate(pcm[i] + ann[i]);
        }
        G711Tables.encode(out.payloadType, pcm, octets, n);
        buf.setBytes(parser.payloadOffset(), octets, 0, n);
    }

    private int decode(Endpoint in, ByteBuf buf) {
        int n = Math.min(parser.payloadLength(), Endpoint.MAX_SAMPLES);
        buf.getBytes(parser.payloadOffset(), octets, 0, n);
        G711Tables.decode(in.payloadType, octets, in.pcm, n);
        return n;
    }

    /** Re-headers the received buffer in place (dropping CSRCs, extension and padding) and sends it. */
    private void relay(Endpoint in, Endpoint out, ByteBuf buf, InetSocketAddress target, long now, boolean encoded) {
        int payloadOff = parser.payloadOffset();
        int len = parser.payloadLength();
        out.lastRelayNanos = now;
        if (!encoded && in.payloadType != out.payloadType) {
            int n = Math.min(len, octets.length);
            buf.getBytes(payloadOff, octets, 0, n);
            G711Tables.transcode(in.payloadType, octets, n);
            buf.setBytes(payloadOff, octets, 0, n);
        }
        OutStream os = out.out;
        os.relay(parser.sequenceNumber(), parser.timestamp(), parser.marker(), now);
        int start = payloadOff - RtpPacket.FIXED_HEADER_LENGTH;
        RtpPacket.writeHeader(buf, start, os.marker, out.payloadType, os.seq, os.ts, os.ssrc);
        buf.setIndex(start, payloadOff + len);
        send(out, buf, target);
    }

    /**
     * Connects a leg's RTP socket to the address it latched (native transport only): the kernel
     * then drops other sources, reads need no source address and sends reuse the cached route.
     * Datagrams queued before the connect are read here with their real source and checked like
     * any other, so nothing from a foreign address slips in as the latched peer's.
     */
    private void connect(Endpoint ep) {
        if (!(ep.rtp instanceof EpollDatagramChannel ch) || ch.isConnected() || ep.latchedRtp == null || stopping) {
            return;
        }
        InetSocketAddress peer = ep.latchedRtp;
        ch.connect(peer).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.debug("connecting the RTP socket of leg {} to {} failed: {}", ep.leg, peer, f.cause().toString());
            }
        });
        Socket socket = (Socket) ch.fd();
        List<DatagramPacket> queued = new ArrayList<>();
        for (int i = 0; i < DRAIN_LIMIT && ch.isOpen(); i++) {
            ByteBuf buf = ch.alloc().directBuffer(RECEIVE_BUFFER);
            DatagramSocketAddress from;
            try {
                from = socket.recvFromAddress(buf.memoryAddress(), 0, buf.capacity());
            } catch (IOException e) {
                buf.release();
                break;
            }
            if (from == null) {
                buf.release();
                break;
            }
            buf.writerIndex(from.receivedAmount());
            queued.add(new DatagramPacket(buf, ch.localAddress(), from));
        }
        if (queued.isEmpty()) {
            return;
        }
        // Handled as a task, behind the tasks already queued (a detector switched off, a new
        // remote): in the order they would have met had each datagram come on its own read.
        try {
            loop.execute(() -> queued.forEach(p -> onRtp(ep, p)));
        } catch (RejectedExecutionException e) {
            queued.forEach(DatagramPacket::release);
        }
    }

    private void disconnect(Endpoint ep) {
        if (ep.rtp instanceof EpollDatagramChannel ch && ch.isConnected()) {
            ch.disconnect();
        }
    }

    /**
     * Sends an RTP packet to a leg, counts it as sent or as a send failure, and releases
     * {@code buf}. On the native transport the datagram goes straight to the socket, without the
     * channel's outbound queue: a packet that cannot leave at once is dropped (counted), never
     * queued behind later audio.
     */
    private void send(Endpoint out, ByteBuf buf, InetSocketAddress target) {
        if (out.rtp instanceof EpollDatagramChannel ch && buf.hasMemoryAddress()) {
            try {
                Socket socket = (Socket) ch.fd();
                long address = buf.memoryAddress();
                int sent = ch.isConnected() && target.equals(ch.remoteAddress())
                        ? socket.sendAddress(address, buf.readerIndex(), buf.writerIndex())
                        : socket.sendToAddress(address, buf.readerIndex(), buf.writerIndex(),
                                target.getAddress(), target.getPort());
                if (sent > 0) {
                    out.stats.onSent();
                } else {
                    out.stats.onSendFailed();
                }
            } catch (IOException e) {
                out.stats.onSendFailed();
                LOG.debug("RTP send to leg {} failed: {}", out.leg, e.toString());
            } finally {
                buf.release();
            }
            return;
        }
        out.stats.onSent();
        out.rtp.writeAndFlush(new DatagramPacket(buf, target), out.rtp.voidPromise());
    }

    private void onRtcp(Endpoint in, DatagramPacket dp) {
        boolean handedOff = false;
        try {
            if (stopping) {
                return;
            }
            ByteBuf buf = dp.content();
            RtcpPacket.Verdict verdict = RtcpPacket.validate(buf);
            if (!verdict.isValid()) {
                in.stats.onDropped(verdict.dropReason());
                return;
            }
            InetSocketAddress src = dp.sender();
            if (!in.acceptsRtcpSource(src)) {
                in.stats.onDropped(DropReason.FOREIGN_SOURCE_ADDRESS);
                return;
            }
            if (in.latchedRtcp == null) {
                in.latchedRtcp = src;
            }
            in.stats.onRtcpReceived();
            Endpoint out = other(in);
            InetSocketAddress target = out.rtcpTarget();
            if (bridged && target != null) {
                out.stats.onRtcpSent();
                out.rtcp.writeAndFlush(new DatagramPacket(buf, target), out.rtcp.voidPromise());
                handedOff = true;
            }
        } finally {
            if (!handedOff) {
                dp.release();
            }
        }
    }

    // ---- pacing (prompts, frame sources, announcement mixing) ----

    /**
     * The pacer runs while a prompt plays or an announcement has samples left. An announcement
     * is read on the 20 ms clock into each leg's {@link Endpoint#mix}, with a lead of
     * {@link #MIX_LEAD_FRAMES} frames so that packets arriving early still find samples; the
     * packets relayed to the leg take them in order (mixed as they are forwarded, no added
     * delay). A leg to which nothing was relayed for {@link #PACE_AFTER_NANOS} gets an
     * announcement-only frame from the clock instead.
     */
    private void updatePacer() {
        boolean needed = !stopping && (a.player != null || b.player != null || announcement != null
                || a.mix.size() > 0 || b.mix.size() > 0);
        if (needed && pacer == null) {
            pacer = loop.scheduleAtFixedRate(this::tick, 0, FRAME_NANOS, TimeUnit.NANOSECONDS);
        } else if (!needed && pacer != null) {
            pacer.cancel(false);
            pacer = null;
        }
    }

    private void tick() {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        sendPaced(a, now);
        sendPaced(b, now);
        for (int frames = mixPriming ? MIX_LEAD_FRAMES + 1 : 1; frames > 0 && announcement != null; frames--) {
            int n = announcement.nextFrame(mixFrame);
            if (n <= 0) {
                announcement = null;
            } else {
                for (int i = n; i < mixFrame.length; i++) {
                    mixFrame[i] = 0;
                }
                // Scaled once for both legs; the sums saturate as in Mixer.mix.
                Mixer.scale(mixFrame, 0, mixFrame.length, announcementGain);
                a.mix.push(mixFrame, 0, mixFrame.length);
                b.mix.push(mixFrame, 0, mixFrame.length);
            }
        }
        mixPriming = false;
        updatePacer();
    }

    private void sendPaced(Endpoint ep, long now) {
        short[] f = frame;
        boolean playing = false;
        if (ep.player != null) {
            int n = ep.player.nextFrame(f);
            if (n <= 0) {
                ep.player = null;
                emit(new MediaEvent.PromptFinished(ep.leg));
            } else {
                playing = true;
                for (int i = n; i < f.length; i++) {
                    f[i] = 0;
                }
            }
        }
        boolean mixing = ep.mix.size() > 0 && (playing || now - ep.lastRelayNanos >= PACE_AFTER_NANOS);
        if (!playing && !mixing) {
            return;
        }
        if (mixing) {
            short[] m = mixPacket;
            ep.mix.pop(m, f.length);
            if (playing) {
                for (int i = 0; i < f.length; i++) {
                    f[i] = Mixer.saturate(f[i] + m[i]);
                }
            } else {
                System.arraycopy(m, 0, f, 0, f.length);
            }
        }
        InetSocketAddress target = ep.rtpTarget();
        if (target == null || ep.payloadType < 0) {
            return;
        }
        OutStream os = ep.out;
        os.generate(now);
        ByteBuf buf = ep.rtp.alloc().directBuffer(RtpPacket.FIXED_HEADER_LENGTH + f.length);
        RtpPacket.writeHeader(buf, 0, os.marker, ep.payloadType, os.seq, os.ts, os.ssrc);
        G711Tables.encode(ep.payloadType, f, octets, f.length);
        buf.writerIndex(RtpPacket.FIXED_HEADER_LENGTH);
        buf.writeBytes(octets, 0, f.length);
        send(ep, buf, target);
    }

    // ---- timeouts, events, teardown ----

    private void checkTimeouts() {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        dspA.flushIdle(now);
        dspB.flushIdle(now);
        for (Endpoint ep : new Endpoint[] {a, b}) {
            if (!ep.hasRemote() || ep.timeoutRaised) {
                continue;
            }
            long since = Math.max(ep.lastRxNanos, ep.remoteSetNanos);
            long silent = now - since;
            if (silent >= timeoutNanos) {
                ep.timeoutRaised = true;
                emit(new MediaEvent.MediaTimeout(ep.leg, Duration.ofNanos(silent)));
            }
        }
    }

    void emit(MediaEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("media event listener failed on {}", event, e);
        }
    }

    Instant now() {
        return Instant.now();
    }

    private void onChannelClosed() {
        channelsOpen--;
        if (!stopping) {
            LOG.warn("a socket of the media session on ports {}/{} closed; ending the session", a.rtpPort, b.rtpPort);
            doStop();
        } else if (channelsOpen == 0) {
            finish();
        }
    }

    private void doStop() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (pacer != null) {
            pacer.cancel(false);
            pacer = null;
        }
        if (timeoutCheck != null) {
            timeoutCheck.cancel(false);
            timeoutCheck = null;
        }
        a.player = null;
        b.player = null;
        announcement = null;
        a.mix.clear();
        b.mix.clear();
        closeObservers();
        int open = 0;
        for (Endpoint ep : new Endpoint[] {a, b}) {
            for (Channel ch : new Channel[] {ep.rtp, ep.rtcp}) {
                if (ch != null && ch.isOpen()) {
                    open++;
                    ch.close();
                }
            }
        }
        if (open == 0 || channelsOpen == 0) {
            finish();
        }
    }

    private void closeObservers() {
        dspA.recordTo(null);
        dspB.recordTo(null);
        if (recorder != null) {
            recorderClosed = engine.closeOffPath(recorder);
            recorder = null;
        }
    }

    private void finish() {
        if (finished) {
            return;
        }
        finished = true;
        engine.sessionEnded(this, a.rtpPort, b.rtpPort);
        recorderClosed.whenComplete((v, e) -> closed.complete(null));
    }
}
