#!/usr/bin/env python3
"""pcap_to_hex.py - split the BGP messages out of a tcpdump capture.

Reads a classic pcap (Linux cooked v1/v2, Ethernet or raw IP), reassembles
each TCP direction on port 179 by sequence number, cuts the byte stream
into BGP messages with the 19-byte header, and prints one line per
message: "SRC:PORT>DST:PORT TYPE LENGTH HEX".  Used with capture.sh to
refresh the fixtures; the fixtures themselves are plain hex files.
"""
import socket
import struct
import sys

TYPES = {1: "OPEN", 2: "UPDATE", 3: "NOTIFICATION", 4: "KEEPALIVE",
         5: "ROUTE-REFRESH"}


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        yield linktype, data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def ip_payload(linktype, frame):
    if linktype == 113:          # Linux cooked v1
        proto, frame = struct.unpack(">H", frame[14:16])[0], frame[16:]
    elif linktype == 276:        # Linux cooked v2
        proto, frame = struct.unpack(">H", frame[0:2])[0], frame[20:]
    elif linktype == 1:          # Ethernet
        proto, frame = struct.unpack(">H", frame[12:14])[0], frame[14:]
    else:                        # raw IP
        proto = 0x0800 if frame[0] >> 4 == 4 else 0x86dd
    if proto == 0x0800:
        ihl = (frame[0] & 15) * 4
        if frame[9] != 6:
            return None
        return (socket.inet_ntop(socket.AF_INET, frame[12:16]),
                socket.inet_ntop(socket.AF_INET, frame[16:20]), frame[ihl:])
    if proto == 0x86dd:
        if frame[6] != 6:
            return None
        return (socket.inet_ntop(socket.AF_INET6, frame[8:24]),
                socket.inet_ntop(socket.AF_INET6, frame[24:40]), frame[40:])
    return None


def streams(path):
    flows = {}
    for linktype, frame in packets(path):
        ip = ip_payload(linktype, frame)
        if ip is None:
            continue
        src, dst, tcp = ip
        sport, dport, seq = struct.unpack(">HHI", tcp[:8])
        payload = tcp[(tcp[12] >> 4) * 4:]
        if payload:
            key = "%s:%d>%s:%d" % (src, sport, dst, dport)
            flows.setdefault(key, {})[seq] = payload
    for key, segments in flows.items():
        stream, expect = b"", None
        for seq in sorted(segments):
            if expect is not None and seq < expect:
                continue            # retransmission
            stream += segments[seq]
            expect = seq + len(segments[seq])
        yield key, stream


def main():
    for key, stream in streams(sys.argv[1]):
        off = 0
        while off + 19 <= len(stream):
            length = struct.unpack(">H", stream[off + 16:off + 18])[0]
            msg = stream[off:off + length]
            print(key, TYPES.get(msg[18], "?"), length, msg.hex())
            off += length


if __name__ == "__main__":
    main()
