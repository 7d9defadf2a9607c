package org.icgw.gateway.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.icgw.media.codec.G711;
import org.icgw.media.dtmf.InbandDtmfDetector;
import org.icgw.media.dtmf.TelephoneEventDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pcap files the scenarios play, read back as SIPp reads them (libpcap, Ethernet, IPv4,
 * UDP) and decoded by the gateway's own detectors: the keys written are the keys found, and the
 * stream is one SSRC with gap-free sequence numbers and timestamps.
 */
class RtpCaptureTest {

    private static final long SSRC = 0x01020304L;

    @TempDir
    Path dir;

    private record Rtp(long micros, int pt, boolean marker, int seq, long ts, long ssrc, byte[] payload) {
    }

    @Test
    void rfc4733KeysDecodeAsWritten() throws IOException {
        List<Rtp> packets = read(RtpCapture.stream(SSRC).silence(100).rfc4733("424242#!", 101).silence(100)
                .write(dir.resolve("events.pcap")));

        StringBuilder keys = new StringBuilder();
        TelephoneEventDecoder decoder = new TelephoneEventDecoder((event, ts, duration) ->
                keys.append(event == 16 ? '!' : event == 11 ? '#' : (char) ('0' + event)));
        for (Rtp p : packets) {
            if (p.pt() == 101) {
                decoder.decode(p.ts(), p.payload(), 0, p.payload().length);
            }
        }
        assertThat(keys).hasToString("424242#!");
        assertThat(packets).extracting(Rtp::ssrc).containsOnly(SSRC);
        assertThat(packets.stream().filter(p -> p.pt() == 101 && p.marker())).hasSize(8);
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).seq()).isEqualTo((packets.get(i - 1).seq() + 1) & 0xFFFF);
            assertThat(packets.get(i).micros()).isGreaterThanOrEqualTo(packets.get(i - 1).micros());
        }
    }

    @Test
    void inbandKeysAreDetectedAsWritten() throws IOException {
        List<Rtp> packets = read(RtpCapture.stream(SSRC).silence(100).inband("1234567890*#").silence(200)
                .write(dir.resolve("tones.pcap")));

        StringBuilder keys = new StringBuilder();
        InbandDtmfDetector detector = new InbandDtmfDetector((digit, start, duration) -> keys.append(digit));
        long ts = packets.getFirst().ts();
        for (Rtp p : packets) {
            assertThat(p.pt()).isEqualTo(RtpCapture.PCMU);
            assertThat(p.ts()).isEqualTo(ts);
            ts += p.payload().length;
            short[] pcm = new short[p.payload().length];
            G711.decodeUlaw(p.payload(), 0, pcm, 0, pcm.length);
            detector.process(pcm, 0, pcm.length);
        }
        detector.flush();
        assertThat(keys).hasToString("1234567890*#");
    }

    private static List<Rtp> read(Path pcap) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(pcap)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt()).isEqualTo(0xA1B2C3D4);
        b.position(20);
        assertThat(b.getInt()).as("link type: Ethernet").isEqualTo(1);
        List<Rtp> out = new ArrayList<>();
        while (b.hasRemaining()) {
            b.order(ByteOrder.LITTLE_ENDIAN);
            long micros = b.getInt() * 1_000_000L + b.getInt();
            int length = b.getInt();
            b.getInt();
            int frame = b.position();
            b.order(ByteOrder.BIG_ENDIAN);
            assertThat(b.getShort(frame + 12)).as("EtherType IPv4").isEqualTo((short) 0x0800);
            assertThat(b.get(frame + 14 + 9)).as("IP protocol UDP").isEqualTo((byte) 17);
            int udpLength = b.getShort(frame + 14 + 20 + 4) & 0xFFFF;
            assertThat(14 + 20 + udpLength).isEqualTo(length);
            int rtp = frame + 14 + 20 + 8;
            byte[] payload = new byte[udpLength - 8 - 12];
            b.get(rtp + 12, payload);
            out.add(new Rtp(micros, b.get(rtp + 1) & 0x7F, (b.get(rtp + 1) & 0x80) != 0, b.getShort(rtp + 2) & 0xFFFF,
                    b.getInt(rtp + 4) & 0xFFFF_FFFFL, b.getInt(rtp + 8) & 0xFFFF_FFFFL, payload));
            b.position(frame + length);
        }
        return out;
    }
}
