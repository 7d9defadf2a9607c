package org.icgw.media.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallRecorderTest {
    @TempDir
    Path dir;

    /** Distinct, recognisable sample for (channel, position): never zero. */
    static short value(int channel, long pos) {
        return (short) (channel == 0 ? 1 + pos % 10_000 : -1 - pos % 10_000);
    }

    static short[] frame(int channel, long pos, int len) {
        short[] s = new short[len];
        for (int i = 0; i < len; i++) {
            s[i] = value(channel, pos + i);
        }
        return s;
    }

    private static void send(CallRecorder r, int channel, long pos, int len) {
        assertThat(r.offer(channel, pos, frame(channel, pos, len), 0, len)).isTrue();
    }

    /** Reads a WAV with javax.sound.sampled: [channel][frame]. */
    static short[][] read(Path file) throws Exception {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            assertThat(f.getEncoding()).isEqualTo(AudioFormat.Encoding.PCM_SIGNED);
            assertThat(f.getSampleRate()).isEqualTo(8000f);
            assertThat(f.getChannels()).isEqualTo(2);
            assertThat(f.getSampleSizeInBits()).isEqualTo(16);
            assertThat(f.isBigEndian()).isFalse();
            byte[] b = in.readAllBytes();
            assertThat((long) b.length / 4).isEqualTo(in.getFrameLength());
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            short[][] ch = new short[2][b.length / 4];
            for (int i = 0; i < ch[0].length; i++) {
                ch[0][i] = bb.getShort();
                ch[1][i] = bb.getShort();
            }
            return ch;
        }
    }

    @Test
    void headerFieldsExact() throws Exception {
        Path f = dir.resolve("h.wav");
        try (CallRecorder r = new CallRecorder(f)) {
            send(r, CallRecorder.INMATE, 0, 160);
            send(r, CallRecorder.CALLEE, 0, 160);
        }
        ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.capacity()).isEqualTo(44 + 640);
        assertThat(new String(h.array(), 0, 4, "US-ASCII")).isEqualTo("RIFF");
        assertThat(h.getInt(4)).isEqualTo(36 + 640);
        assertThat(new String(h.array(), 8, 8, "US-ASCII")).isEqualTo("WAVEfmt ");
        assertThat(h.getInt(16)).isEqualTo(16);
        assertThat(h.getShort(20)).isEqualTo((short) 1);
        assertThat(h.getShort(22)).isEqualTo((short) 2);
        assertThat(h.getInt(24)).isEqualTo(8000);
        assertThat(h.getInt(28)).isEqualTo(32000);
        assertThat(h.getShort(32)).isEqualTo((short) 4);
        assertThat(h.getShort(34)).isEqualTo((short) 16);
        assertThat(new String(h.array(), 36, 4, "US-ASCII")).isEqualTo("data");
        assertThat(h.getInt(40)).isEqualTo(640);
        assertThat(h.getShort(44)).isEqualTo(value(0, 0));
        assertThat(h.getShort(46)).isEqualTo(value(1, 0));
    }

    @Test
    void channelsAlignedWithGapsAsSilence() throws Exception {
        Path f = dir.resolve("call.wav");
        CallRecorder r = new CallRecorder(f, 1000, CallRecorder.Settings.defaults());
        // inmate: 0..1600 then a 800-sample loss, then 2400..4000; sent in 20 ms frames
        for (long p = 1000; p < 2600; p += 160) {
            send(r, CallRecorder.INMATE, p, 160);
        }
        for (long p = 3400; p < 5000; p += 160) {
            send(r, CallRecorder.INMATE, p, 160);
        }
        // callee starts late (silent until 800), arrives in bursts out of order, one odd size
        send(r, CallRecorder.CALLEE, 3000, 1200);
        send(r, CallRecorder.CALLEE, 1800, 1200);
        send(r, CallRecorder.CALLEE, 4200, 37);
        r.close();
        assertThat(r.droppedFrames()).isZero();
        assertThat(r.discardedSamples()).isZero();
        assertThat(r.writtenFrames()).isEqualTo(4000);

        short[][] ch = read(f);
        assertThat(ch[0]).hasSize(4000);
        for (int i = 0; i < 4000; i++) {
            long media = 1000 + i;
            boolean inmate = i < 1600 || i >= 2400;
            boolean callee = i >= 800 && i < 3237;
            assertThat(ch[0][i]).as("left %d", i).isEqualTo(inmate ? value(0, media) : 0);
            assertThat(ch[1][i]).as("right %d", i).isEqualTo(callee ? value(1, media) : 0);
        }
    }

    @Test
    void readableAfterCrashUpToLastHeaderUpdate() throws Exception {
        Path f = dir.resolve("crash.wav");
        CallRecorder r = new CallRecorder(f, 0, new CallRecorder.Settings(512, 320, 2000, 500, 100));
        for (long p = 0; p < 24_000; p += 160) {
            send(r, CallRecorder.INMATE, p, 160);
            send(r, CallRecorder.CALLEE, p, 160);
        }
        // the periodic update writes up to 0.5 s behind the newest sample: 24000 - 4000
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (r.committedFrames() < 20_000 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        assertThat(r.committedFrames()).isEqualTo(20_000);
        // the process "dies": copy the file as it is on disk, without close()
        Path copy = dir.resolve("copy.wav");
        Files.copy(f, copy);
        short[][] ch = read(copy);
        assertThat(ch[0]).hasSize(20_000);
        for (int i = 0; i < 20_000; i++) {
            assertThat(ch[0][i]).isEqualTo(value(0, i));
            assertThat(ch[1][i]).isEqualTo(value(1, i));
        }
        r.close();
        assertThat(read(f)[1]).hasSize(24_000);
    }

    @Test
    void oneSharedWriterServesManyRecordingsEachReadableWhileOpen() throws Exception {
        try (RecordingWriter writer = new RecordingWriter(java.time.Duration.ofMillis(20))) {
            CallRecorder[] calls = new CallRecorder[3];
            for (int c = 0; c < calls.length; c++) {
                calls[c] = new CallRecorder(dir.resolve("shared-" + c + ".wav"), 0,
                        new CallRecorder.Settings(512, 320, 2000, 500, 100), writer);
                for (long p = 0; p < 8_000 + 800L * c; p += 160) {
                    send(calls[c], CallRecorder.INMATE, p, 160);
                    send(calls[c], CallRecorder.CALLEE, p, 160);
                }
            }
            assertThat(writer.active()).isEqualTo(3);
            // The writer alone (no close yet) brings each header to 0.5 s behind its newest sample.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while ((calls[0].committedFrames() < 4_000 || calls[1].committedFrames() < 4_800
                    || calls[2].committedFrames() < 5_600) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
            assertThat(calls[0].committedFrames()).isEqualTo(4_000);
            assertThat(calls[1].committedFrames()).isEqualTo(4_800);
            assertThat(calls[2].committedFrames()).isEqualTo(5_600);
            for (int c = 0; c < calls.length; c++) {
                calls[c].close();
                short[][] ch = read(dir.resolve("shared-" + c + ".wav"));
                assertThat(ch[0]).hasSize(8_000 + 800 * c);
                for (int i = 0; i < ch[0].length; i++) {
                    assertThat(ch[0][i]).isEqualTo(value(0, i));
                    assertThat(ch[1][i]).isEqualTo(value(1, i));
                }
            }
            assertThat(writer.active()).isZero();
        }
    }

    @Test
    void fullPoolDropsWithoutBlocking() throws Exception {
        Path f = dir.resolve("full.wav");
        CallRecorder r = new CallRecorder(f, 0, new CallRecorder.Settings(4, 160, 2000, 500, 1000), false);
        for (int i = 0; i < 4; i++) {
            send(r, CallRecorder.INMATE, i * 160L, 160);
        }
        // The inmate's queue is full; the callee's has its own four buffers.
        assertThat(r.offer(CallRecorder.INMATE, 640, new short[320], 0, 320)).isFalse();
        send(r, CallRecorder.CALLEE, 0, 160);
        assertThat(r.droppedFrames()).isEqualTo(1);
        assertThat(r.offeredFrames()).isEqualTo(6);
        r.startWriter();
        r.close();
        short[][] ch = read(f);
        assertThat(ch[0]).hasSize(640);
        assertThat(ch[0][639]).isEqualTo(value(0, 639));
        assertThat(ch[1][159]).isEqualTo(value(1, 159));
        assertThat(ch[1][160]).isZero();
        assertThat(r.offer(CallRecorder.INMATE, 640, new short[10], 0, 10)).isFalse();
        assertThat(r.droppedFrames()).isEqualTo(2);
        r.close();
    }

    @Test
    void lateAndWildSamplesDiscarded() throws Exception {
        Path f = dir.resolve("late.wav");
        CallRecorder r = new CallRecorder(f, 0, new CallRecorder.Settings(64, 800, 1000, 500, 1000), false);
        send(r, CallRecorder.INMATE, 16_000, 800);
        r.serve(System.nanoTime());                         // the writer's pass places it
        send(r, CallRecorder.CALLEE, 0, 800);               // 2 s behind: window is 1 s
        send(r, CallRecorder.CALLEE, 8_400, 800);           // window starts at 8800: half inside
        send(r, CallRecorder.CALLEE, 16_000 + 600L * 8000 * 2, 10); // twenty minutes ahead
        r.close();
        assertThat(r.discardedSamples()).isEqualTo(800 + 400 + 10);
        short[][] ch = read(f);
        assertThat(ch[1]).hasSize(16_800);
        assertThat(ch[1][8_799]).isZero();
        assertThat(ch[1][8_800]).isEqualTo(value(1, 8_800));
        assertThat(ch[1][9_199]).isEqualTo(value(1, 9_199));
        assertThat(ch[1][9_200]).isZero();
        assertThat(ch[0][16_000]).isEqualTo(value(0, 16_000));
    }

    @Test
    void invalidArgumentsRejected() throws IOException {
        try (CallRecorder r = new CallRecorder(dir.resolve("x.wav"))) {
            assertThatThrownBy(() -> r.offer(2, 0, new short[1], 0, 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.offer(0, 0, new short[1], 0, 2))
                    .isInstanceOf(IndexOutOfBoundsException.class);
        }
        assertThatThrownBy(() -> new CallRecorder.Settings(1, 9000, 1000, 500, 1000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
