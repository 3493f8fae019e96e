#!/usr/bin/env python3
"""kind-dns.py - a tiny DNS responder for kind-e2e.sh (Docker's embedded
DNS stands in for it under real kind).

Answers A queries over UDP from a zone file of "NAME ADDRESS" lines,
re-read for every query (a test moves a name by rewriting the file).
Names match without regard to case (evdns randomizes the case of its
queries); the question is echoed as asked. A known name asked for
another type gets an empty answer (NODATA), an unknown one NXDOMAIN.
TTL 1 s. One line per query goes to stderr.
"""
import argparse
import socket
import struct
import sys


def read_zone(path):
    zone = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                zone.setdefault(parts[0].lower().rstrip("."), []).append(
                    parts[1])
    return zone


def parse_question(msg):
    """(id, flags, name, qtype, end of question) or None."""
    if len(msg) < 12:
        return None
    qid, flags, qdcount = struct.unpack("!HHH", msg[:6])
    if qdcount != 1:
        return None
    labels, pos = [], 12
    while True:
        if pos >= len(msg):
            return None
        n = msg[pos]
        pos += 1
        if n == 0:
            break
        if n > 63 or pos + n > len(msg):
            return None
        labels.append(msg[pos:pos + n].decode("ascii", "replace"))
        pos += n
    if pos + 4 > len(msg):
        return None
    qtype, _ = struct.unpack("!HH", msg[pos:pos + 4])
    return qid, flags, ".".join(labels), qtype, pos + 4


def answer(msg, zone):
    q = parse_question(msg)
    if q is None:
        return None
    qid, flags, name, qtype, end = q
    addrs = zone.get(name.lower())
    rcode = 3 if addrs is None else 0
    answers = b""
    count = 0
    if addrs and qtype == 1:
        for a in addrs:
            answers += struct.pack("!HHHIH", 0xC00C, 1, 1, 1, 4)
            answers += socket.inet_aton(a)
            count += 1
    rflags = 0x8000 | (flags & 0x0100) | 0x0400 | rcode
    header = struct.pack("!HHHHHH", qid, rflags, 1, count, 0, 0)
    return header + msg[12:end] + answers, name, qtype, count


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", required=True)
    ap.add_argument("--port", type=int, default=53)
    ap.add_argument("--zone", required=True)
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.listen, a.port))
    sys.stderr.write("listening on %s:%d\n" % (a.listen, a.port))
    sys.stderr.flush()
    while True:
        msg, peer = s.recvfrom(512)
        reply = answer(msg, read_zone(a.zone))
        if reply is None:
            continue
        s.sendto(reply[0], peer)
        sys.stderr.write("%s %s type %d: %d answers\n" % (
            peer[0], reply[1], reply[2], reply[3]))
        sys.stderr.flush()


if __name__ == "__main__":
    main()
