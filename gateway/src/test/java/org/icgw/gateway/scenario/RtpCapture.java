package org.icgw.gateway.scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.icgw.media.codec.G711;

/**
 * Writes one RTP stream (one SSRC, sequence numbers and timestamps without gaps) as a libpcap
 * file that SIPp replays with {@code <exec play_pcap_audio="..."/>}: SIPp keeps each RTP packet
 * as captured and only rewrites the UDP ports and addresses, so what is built here is exactly
 * what the gateway receives, at the captured pace.
 *
 * <p>The stream is built in order from pieces, each 20 ms packet stamped 20 ms after the last:
 * <ul>
 *   <li>{@link #silence}: PCMU frames of digital silence;</li>
 *   <li>{@link #rfc4733}: RFC 4733 telephone events (section 2.3 payload), 100 ms each: the
 *       first packet with the marker bit (section 2.5.1.2), one packet per 20 ms with the same
 *       timestamp and a growing duration, and the final packet with the E bit sent three times
 *       (section 2.5.1.4); 100 ms of silence between events;</li>
 *   <li>{@link #inband}: DTMF as PCMU audio, the two ITU-T Q.23 tones of each key at -7 dBm0 each
 *       for 100 ms, then 100 ms of silence.</li>
 * </ul>
 * Frames are Ethernet II / IPv4 / UDP (link type 1), as in SIPp's own captures.
 */
public final class RtpCapture {
    /** PCMU's static payload type (RFC 3551 section 6). */
    public static final int PCMU = 0;
    private static final int SAMPLES_PER_PACKET = 160;
    private static final int PACKET_MICROS = 20_000;
    private static final int EVENT_PACKETS = 5;
    private static final String KEYS = "0123456789*#";
    private static final double[] ROW = {697, 770, 852, 941};
    private static final double[] COLUMN = {1209, 1336, 1477};
    /** 0 dBm0 on the 16-bit scale for G.711 mu-law (ITU-T G.711 table 5: +3.17 dBm0 full scale). */
    private static final double DBM0 = 22_750.0;
    private static final byte ULAW_SILENCE = (byte) 0xFF;

    private record Packet(long micros, byte[] rtp) {
    }

    private final long ssrc;
    private final List<Packet> packets = new ArrayList<>();
    private int sequence = 1000;
    private long timestamp = 16_000;
    private long clockMicros;

    private RtpCapture(long ssrc) {
        this.ssrc = ssrc;
    }

    /** A new, empty stream with this SSRC. */
    public static RtpCapture stream(long ssrc) {
        return new RtpCapture(ssrc);
    }

    /** {@code millis} of PCMU silence (rounded down to whole 20 ms packets). */
    public RtpCapture silence(int millis) {
        byte[] frame = new byte[SAMPLES_PER_PACKET];
        Arrays.fill(frame, ULAW_SILENCE);
        for (int i = 0; i < millis / 20; i++) {
            audio(frame);
        }
        return this;
    }

    /**
     * Each of {@code keys} as an RFC 4733 event with payload type {@code pt}: digits, {@code *}
     * (event 10), {@code #} (event 11), and {@code !} for a flash (event 16, section 3.2).
     */
    public RtpCapture rfc4733(String keys, int pt) {
        for (char key : keys.toCharArray()) {
            event(eventCode(key), pt);
            silence(100);
        }
        return this;
    }

    /** Each of {@code keys} (digits, {@code *}, {@code #}) as in-band DTMF in PCMU. */
    public RtpCapture inband(String keys) {
        for (char key : keys.toCharArray()) {
            int k = KEYS.indexOf(key);
            if (k < 0) {
                throw new IllegalArgumentException("no DTMF key " + key);
            }
            int row;
            int column;
            if (key == '0') {
                row = 3;
                column = 1;
            } else if (key == '*' || key == '#') {
                row = 3;
                column = key == '*' ? 0 : 2;
            } else {
                int d = key - '1';
                row = d / 3;
                column = d % 3;
            }
            double amplitude = DBM0 * Math.pow(10, -7 / 20.0);
            short[] pcm = new short[SAMPLES_PER_PACKET];
            byte[] frame = new byte[SAMPLES_PER_PACKET];
            for (int p = 0; p < 5; p++) {
                for (int n = 0; n < pcm.length; n++) {
                    double t = (p * SAMPLES_PER_PACKET + n) / 8000.0;
                    pcm[n] = (short) Math.round(amplitude * (Math.sin(2 * Math.PI * ROW[row] * t)
                            + Math.sin(2 * Math.PI * COLUMN[column] * t)));
                }
                G711.encodeUlaw(pcm, 0, frame, 0, pcm.length);
                audio(frame.clone());
            }
            silence(100);
        }
        return this;
    }

    /** Writes the stream as a pcap file from 127.0.0.1:6000 to 127.0.0.1:6002 (SIPp rewrites both). */
    public Path write(Path file) {
        ByteBuffer out = ByteBuffer.allocate(24 + packets.stream().mapToInt(p -> 16 + 42 + p.rtp.length).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65_535).putInt(1);
        for (Packet p : packets) {
            int udpLength = 8 + p.rtp.length;
            int ipLength = 20 + udpLength;
            int frameLength = 14 + ipLength;
            out.order(ByteOrder.LITTLE_ENDIAN);
            out.putInt((int) (p.micros / 1_000_000)).putInt((int) (p.micros % 1_000_000))
                    .putInt(frameLength).putInt(frameLength);
            out.order(ByteOrder.BIG_ENDIAN);
            out.put(new byte[] {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
            int ipStart = out.position();
            out.put((byte) 0x45).put((byte) 0).putShort((short) ipLength).putShort((short) 0).putShort((short) 0)
                    .put((byte) 64).put((byte) 17).putShort((short) 0)
                    .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
            out.putShort(ipStart + 10, ipChecksum(out, ipStart));
            out.putShort((short) 6000).putShort((short) 6002).putShort((short) udpLength).putShort((short) 0);
            out.put(p.rtp);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, out.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static short ipChecksum(ByteBuffer buf, int start) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += buf.getShort(start + i) & 0xFFFF;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (short) ~sum;
    }

    private static int eventCode(char key) {
        return switch (key) {
            case '*' -> 10;
            case '#' -> 11;
            case '!' -> 16;
            default -> {
                if (key < '0' || key > '9') {
                    throw new IllegalArgumentException("no telephone event for " + key);
                }
                yield key - '0';
            }
        };
    }

    private void audio(byte[] payload) {
        packets.add(new Packet(clockMicros, rtp(PCMU, false, timestamp, payload)));
        timestamp += SAMPLES_PER_PACKET;
        clockMicros += PACKET_MICROS;
    }

    /** One event of 100 ms; the stream's timestamp moves on by its duration. */
    private void event(int code, int pt) {
        long start = timestamp;
        for (int i = 1; i <= EVENT_PACKETS; i++) {
            boolean last = i == EVENT_PACKETS;
            int duration = i * SAMPLES_PER_PACKET;
            byte[] payload = {(byte) code, (byte) ((last ? 0x80 : 0) | 10), (byte) (duration >> 8), (byte) duration};
            int copies = last ? 3 : 1;
            for (int c = 0; c < copies; c++) {
                packets.add(new Packet(clockMicros, rtp(pt, i == 1, start, payload)));
            }
            clockMicros += PACKET_MICROS;
        }
        timestamp += (long) EVENT_PACKETS * SAMPLES_PER_PACKET;
    }

    private byte[] rtp(int pt, boolean marker, long ts, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) sequence++)
                .putInt((int) ts).putInt((int) ssrc).put(payload);
        return b.array();
    }
}
