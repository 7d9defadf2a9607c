#!/usr/bin/env python3
"""Writes a pcap of PCMU silence as RTP (payload type 0, 20 ms packets) for SIPp's
play_pcap_audio: the demo phone's and the demo callee's audio.

usage: pcap.py FILE SECONDS SSRC
"""
import struct
import sys


def main():
    path, seconds, ssrc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    payload = b"\xff" * 160  # mu-law silence
    with open(path, "wb") as out:
        # pcap global header: magic, v2.4, UTC, accuracy, snaplen, link type 1 (Ethernet)
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n in range(seconds * 50):
            rtp = struct.pack("!BBHII", 0x80, 0, n & 0xFFFF, (n * 160) & 0xFFFFFFFF, ssrc) + payload
            udp = struct.pack("!HHHH", 6000, 6000, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), n & 0xFFFF, 0, 64, 17, 0,
                             bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1]))
            checksum = sum(struct.unpack("!10H", ip))
            checksum = (checksum & 0xFFFF) + (checksum >> 16)
            checksum = ~((checksum & 0xFFFF) + (checksum >> 16)) & 0xFFFF
            ip = ip[:10] + struct.pack("!H", checksum) + ip[12:]
            frame = b"\x00" * 12 + b"\x08\x00" + ip + udp
            usec = n * 20_000
            out.write(struct.pack("<IIII", usec // 1_000_000, usec % 1_000_000, len(frame), len(frame)))
            out.write(frame)


if __name__ == "__main__":
    main()
