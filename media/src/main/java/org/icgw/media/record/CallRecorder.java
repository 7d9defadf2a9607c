package org.icgw.media.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one call to a stereo WAV file: 8 kHz, 16-bit PCM, the inmate on the left channel
 * ({@link #INMATE}), the callee on the right ({@link #CALLEE}).
 *
 * <p>Both legs are placed by their position on the call's media clock, so the channels stay
 * aligned whatever each side sends: samples nobody sent (silence suppression, lost packets, a
 * side that never speaks) are zeros.
 *
 * <p>Producers (the legs' packet paths) never block and never touch the disk: {@link #offer}
 * copies the samples into a buffer from a fixed pool and queues it; when the pool is exhausted
 * the frame is dropped and counted ({@link #droppedFrames()}); nor do they wake the writer. The
 * writer, a {@link RecordingWriter} shared by many recordings or a virtual thread of this
 * recording's own, drains the queue on its own clock into a ring of
 * {@link Settings#windowMillis()} and writes contiguous spans with one positional write each.
 * Every {@link Settings#headerIntervalMillis()} it writes out everything
 * older than {@link Settings#lagMillis()} behind the newest sample and rewrites the RIFF and data
 * sizes, so a file left by a dead process is a valid WAV up to that point. {@link #close()}
 * writes the rest and finalises the header. Data arriving later than the window is dropped and
 * counted ({@link #discardedSamples()}).
 */
public final class CallRecorder implements AutoCloseable {
    /** Channel of the inmate's audio (left). */
    public static final int INMATE = 0;
    /** Channel of the callee's audio (right). */
    public static final int CALLEE = 1;
    /** Size of the canonical WAV header written before the data. */
    public static final int HEADER_BYTES = 44;
    private static final int RATE = 8000;
    private static final int FRAME_BYTES = 4;
    private static final long MAX_JUMP = 600L * RATE;
    /** How often the writer drains the queue (the pool holds about 1.3 s of two 20 ms streams). */
    private static final long DRAIN_MILLIS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(CallRecorder.class);

    /**
     * Recorder tuning.
     *
     * @param poolBuffers buffers of each channel's queue (bounds memory and the queue)
     * @param bufferSamples samples per buffer; a longer offer takes several buffers
     * @param windowMillis how far apart the two legs may be and still be placed
     * @param lagMillis how far behind the newest sample the periodic write stops
     * @param headerIntervalMillis how often finished data and the header are written
     */
    public record Settings(int poolBuffers, int bufferSamples, int windowMillis, int lagMillis,
            int headerIntervalMillis) {
        /**
         * Defaults: 32 buffers of 160 samples per channel (0.64 s of 20 ms packets, over two passes
         * of a shared writer), 0.6 s window, 0.3 s lag, header every 1 s: about 40 kB of heap per
         * recording.
         */
        public static Settings defaults() {
            return new Settings(32, 160, 600, 300, 1000);
        }

        /** Checks the values. */
        public Settings {
            if (poolBuffers < 1 || bufferSamples < 1 || lagMillis < 0 || headerIntervalMillis < 1
                    || windowMillis <= lagMillis || bufferSamples > windowMillis * (RATE / 1000)) {
                throw new IllegalArgumentException("invalid recorder settings " + this);
            }
        }
    }

    /**
     * One channel's queue: a ring of fixed buffers with one producer (the leg's thread) and one
     * consumer (the writer), lock-free: the producer publishes with a release store, the writer
     * frees buffers the same way, and neither ever waits for the other.
     */
    private static final class Lane {
        final int slots;
        final int slotSamples;
        final short[] data;
        final long[] frames;
        final int[] lengths;
        /** Buffers published by the producer / given back by the writer (monotonic counts). */
        final AtomicLong published = new AtomicLong();
        final AtomicLong consumed = new AtomicLong();
        // producer-owned
        long tail;
        long freeUpTo;
        // writer-owned
        long head;

        Lane(int slots, int slotSamples) {
            this.slots = slots;
            this.slotSamples = slotSamples;
            this.data = new short[slots * slotSamples];
            this.frames = new long[slots];
            this.lengths = new int[slots];
        }

        int slot(long index) {
            return (int) (index % slots);
        }
    }

    private final Path file;
    private final long origin;
    private final Settings settings;
    private final FileChannel out;
    private final Lane[] lanes = new Lane[2];
    /** This recording's own writer thread, or null when a shared {@link RecordingWriter} serves it. */
    private final Thread writer;
    private final RecordingWriter shared;
    /** Held while the file is written: by the writer's pass, and by close() for the last write. */
    private final ReentrantLock io = new ReentrantLock();
    private long nextHeader;
    private volatile boolean closed;
    private volatile IOException failure;

    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong discarded = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();

    // writer-thread state
    private final int window;
    private final int lag;
    private final long drainNanos;
    private final short[] ring;
    private final ByteBuffer bytes;
    private final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private long winStart;
    private long maxEnd;

    /** Creates {@code file} (replacing it) and starts recording; media-clock sample 0 is frame 0. */
    public CallRecorder(Path file) throws IOException {
        this(file, 0, Settings.defaults());
    }

    /**
     * Creates {@code file} (replacing it) and starts recording.
     *
     * @param originSample the media-clock position written as the file's first frame
     */
    public CallRecorder(Path file, long originSample, Settings settings) throws IOException {
        this(file, originSample, settings, true);
    }

    CallRecorder(Path file, long originSample, Settings settings, boolean start) throws IOException {
        this(file, originSample, settings, null, start);
    }

    /**
     * Creates {@code file} (replacing it) and starts recording, served by {@code writer}: no thread
     * of its own, so thousands of recordings cost one thread and one wake-up per pass.
     *
     * @param originSample the media-clock position written as the file's first frame
     */
    public CallRecorder(Path file, long originSample, Settings settings, RecordingWriter writer) throws IOException {
        this(file, originSample, settings, Objects.requireNonNull(writer, "writer"), true);
    }

    private CallRecorder(Path file, long originSample, Settings settings, RecordingWriter sharedWriter, boolean start)
            throws IOException {
        this.file = file;
        this.origin = originSample;
        this.settings = settings;
        this.shared = sharedWriter;
        this.window = settings.windowMillis() * (RATE / 1000);
        this.lag = settings.lagMillis() * (RATE / 1000);
        this.drainNanos = TimeUnit.MILLISECONDS.toNanos(Math.min(DRAIN_MILLIS, settings.headerIntervalMillis()));
        this.ring = new short[2 * window];
        this.bytes = ByteBuffer.allocateDirect(FRAME_BYTES * window).order(ByteOrder.LITTLE_ENDIAN);
        lanes[INMATE] = new Lane(settings.poolBuffers(), settings.bufferSamples());
        lanes[CALLEE] = new Lane(settings.poolBuffers(), settings.bufferSamples());
        this.out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        writeHeader(0);
        this.nextHeader = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.headerIntervalMillis());
        if (sharedWriter != null) {
            this.writer = null;
            sharedWriter.register(this);
        } else {
            this.writer = Thread.ofVirtual().name("recorder " + file.getFileName()).unstarted(this::run);
            if (start) {
                writer.start();
            }
        }
    }

    void startWriter() {
        writer.start();
    }

    /**
     * Queues {@code len} samples of one leg starting at media-clock position
     * {@code samplePosition}. Never blocks. Each channel takes one producer at a time (its leg's
     * thread); the two channels may be offered from different threads.
     *
     * @param channel {@link #INMATE} or {@link #CALLEE}
     * @return false when the frame was dropped (pool exhausted, recorder closed or failed)
     */
    public boolean offer(int channel, long samplePosition, short[] pcm, int off, int len) {
        if (channel != INMATE && channel != CALLEE) {
            throw new IllegalArgumentException("channel " + channel);
        }
        Objects.checkFromIndexSize(off, len, pcm.length);
        offered.incrementAndGet();
        if (closed || failure != null) {
            dropped.incrementAndGet();
            return false;
        }
        long frame = samplePosition - origin;
        Lane lane = lanes[channel];
        long tail = lane.tail;
        int done = 0;
        boolean full = false;
        while (done < len) {
            if (tail == lane.freeUpTo) {
                lane.freeUpTo = lane.consumed.get() + lane.slots;
                if (tail == lane.freeUpTo) {
                    full = true;
                    break;
                }
            }
            int slot = lane.slot(tail);
            int n = Math.min(lane.slotSamples, len - done);
            System.arraycopy(pcm, off + done, lane.data, slot * lane.slotSamples, n);
            lane.frames[slot] = frame + done;
            lane.lengths[slot] = n;
            tail++;
            done += n;
        }
        lane.tail = tail;
        lane.published.lazySet(tail);
        if (full) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private void run() {
        try {
            while (!closed) {
                // Producers never wake this thread: it drains the queue on its own clock, so a
                // packet costs no unpark (and no futex wake of a carrier thread).
                serve(System.nanoTime());
                LockSupport.parkNanos(this, Math.min(drainNanos, nextHeader - System.nanoTime()));
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /**
     * One pass of the writer: the queued chunks placed, and, when due, the finished data and the
     * header written. Returns at once if close() is finishing the file.
     */
    void serve(long now) throws IOException {
        if (!io.tryLock()) {
            return;
        }
        try {
            if (out.isOpen() && failure == null) {
                drain();
                if (now - nextHeader >= 0) {
                    flushTo(Math.max(winStart, maxEnd - lag));
                    writeHeader(written.get());
                    committed.set(written.get());
                    nextHeader = now + TimeUnit.MILLISECONDS.toNanos(settings.headerIntervalMillis());
                }
            }
        } finally {
            io.unlock();
        }
    }

    void fail(IOException e) {
        failure = e;
        LOG.error("recording {} failed", file, e);
    }

    /** Places everything published, the two channels merged in media-clock order. */
    private void drain() throws IOException {
        Lane in = lanes[INMATE];
        Lane ce = lanes[CALLEE];
        long inEnd = in.published.get();
        long ceEnd = ce.published.get();
        while (in.head < inEnd || ce.head < ceEnd) {
            boolean takeInmate = ce.head == ceEnd
                    || in.head < inEnd && in.frames[in.slot(in.head)] <= ce.frames[ce.slot(ce.head)];
            Lane lane = takeInmate ? in : ce;
            int slot = lane.slot(lane.head);
            place(takeInmate ? INMATE : CALLEE, lane.frames[slot], lane.data, slot * lane.slotSamples,
                    lane.lengths[slot]);
            lane.head++;
        }
        in.consumed.lazySet(in.head);
        ce.consumed.lazySet(ce.head);
    }

    /** The last write: everything queued, the rest of the window, the final header. */
    private void finish() throws IOException {
        io.lock();
        try {
            if (failure == null) {
                drain();
                flushTo(maxEnd);
                writeHeader(written.get());
                out.force(true);
                committed.set(written.get());
            }
        } finally {
            io.unlock();
        }
    }

    private void place(int channel, long start, short[] data, int offset, int length) throws IOException {
        long end = start + length;
        if (start > Math.max(maxEnd, winStart) + MAX_JUMP) {
            discarded.addAndGet(length);
            return;
        }
        if (end > winStart + window) {
            flushTo(end - window);
        }
        int skip = (int) Math.max(0, Math.min(length, winStart - start));
        if (skip > 0) {
            discarded.addAndGet(skip);
        }
        // Frame f lives at ring[2 * (f % window) + channel] while winStart <= f < winStart + window.
        int slot = (int) ((start + skip) % window);
        for (int i = skip; i < length; i++) {
            ring[2 * slot + channel] = data[offset + i];
            if (++slot == window) {
                slot = 0;
            }
        }
        maxEnd = Math.max(maxEnd, end);
    }

    /**
     * Writes the frames before {@code limit} (zeros beyond the window) with one positional
     * write per window's worth, and clears their slots for reuse.
     */
    private void flushTo(long limit) throws IOException {
        while (winStart < limit) {
            int n = (int) Math.min(window, limit - winStart);
            int slot = (int) (winStart % window);
            int first = Math.min(n, window - slot);
            bytes.clear();
            ShortBuffer shorts = bytes.asShortBuffer();
            shorts.put(ring, 2 * slot, 2 * first);
            Arrays.fill(ring, 2 * slot, 2 * (slot + first), (short) 0);
            if (first < n) {
                shorts.put(ring, 0, 2 * (n - first));
                Arrays.fill(ring, 0, 2 * (n - first), (short) 0);
            }
            bytes.limit(FRAME_BYTES * n);
            long pos = HEADER_BYTES + FRAME_BYTES * winStart;
            while (bytes.hasRemaining()) {
                pos += out.write(bytes, pos);
            }
            winStart += n;
            written.addAndGet(n);
        }
    }

    private void writeHeader(long frames) throws IOException {
        long data = frames * FRAME_BYTES;
        header.clear();
        header.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + data))
                .put(new byte[] {'W', 'A', 'V', 'E'})
                .put(new byte[] {'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1).putShort((short) 2).putInt(RATE).putInt(RATE * FRAME_BYTES)
                .putShort((short) FRAME_BYTES).putShort((short) 16)
                .put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) data);
        header.flip();
        long pos = 0;
        while (header.hasRemaining()) {
            pos += out.write(header, pos);
        }
    }

    /**
     * Writes everything queued, finalises the header and closes the file. Idempotent.
     *
     * @throws IOException if writing failed at any point of the recording
     */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            try {
                if (shared != null) {
                    shared.unregister(this);
                } else {
                    LockSupport.unpark(writer);
                    if (writer.getState() != Thread.State.NEW) {
                        writer.join();
                    }
                }
                finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while closing " + file, e);
            } catch (IOException e) {
                if (failure == null) {
                    fail(e);
                }
            } finally {
                out.close();
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /** Calls to {@link #offer}. */
    public long offeredFrames() {
        return offered.get();
    }

    /** Offers dropped: buffer pool exhausted, or offered after close or failure. */
    public long droppedFrames() {
        return dropped.get();
    }

    /**
     * Samples discarded by the writer: arrived behind the window, before the origin, or more
     * than ten minutes ahead of everything else (a broken clock must not fill the disk).
     */
    public long discardedSamples() {
        return discarded.get();
    }

    /** Stereo frames written to the file so far. */
    public long writtenFrames() {
        return written.get();
    }

    /** Stereo frames covered by the header on disk: the readable length after a crash. */
    public long committedFrames() {
        return committed.get();
    }
}
