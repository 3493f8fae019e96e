#!/usr/bin/env python3
"""bench/report.py MACHINE-FILE RAW-FILE: the Markdown report of a run.

RAW-FILE holds one "key=value ..." line per measurement (bench/lib.sh);
MACHINE-FILE the "key text" lines run.sh wrote about the machine.  For
each family and table size: the median of every figure over the runs,
the ratio flatbgpd / each peer, and at the largest IPv4 table the issue's
targets, met or not.  A figure that timed out counts as infinitely slow,
so the median says "timeout" only when most runs timed out.
"""

import math
import statistics
import sys

DAEMONS = ["flatbgpd", "bird", "frr", "openbgpd", "gobgp"]
NAMES = {"flatbgpd": "flatbgpd", "bird": "BIRD 2", "frr": "FRR",
         "openbgpd": "OpenBGPD", "gobgp": "GoBGP",
         "limit-bgp": "limit: generator → sink",
         "limit-kernel": "limit: kernel (fibload)"}
# (key, column title, unit divisor, lower is better)
FIGURES = [("sink", "in+out to sink (s)", 1),
           ("fib", "into FIB (s)", 1),
           ("wd", "withdrawal (s)", 1),
           ("wd_sink", "withdrawal: sink (s)", 1),
           ("wd_fib", "withdrawal: FIB (s)", 1),
           ("hwm_kib", "peak RSS (MiB)", 1024),
           ("cpu", "CPU (s)", 1),
           ("idle_kib", "idle RSS (MiB)", 1024)]


def read_lines(path):
    rows = []
    with open(path) as f:
        for line in f:
            kv = dict(w.split("=", 1) for w in line.split() if "=" in w)
            if "daemon" in kv:
                rows.append(kv)
    return rows


def value(text, divisor):
    if text in (None, "na"):
        return None
    if text == "timeout":
        return math.inf
    return float(text) / divisor


def median(rows, key, divisor):
    vals = [value(r.get(key), divisor) for r in rows if "failed" not in r]
    vals = [v for v in vals if v is not None]
    if not vals:
        return None
    # The lower middle of an even count: a measured value, not a mean.
    return statistics.median_low(vals)


def fmt(v, divisor=1):
    if v is None:
        return "n/a"
    if math.isinf(v):
        return "timeout"
    if divisor > 1:
        return "%.1f" % v
    return "%.3f" % v if v < 10 else "%.1f" % v


def ratio(a, b):
    if a is None or b is None or b == 0 or math.isinf(a) or math.isinf(b):
        return "n/a"
    return "%.2f" % (a / b)


def groups(rows):
    keys = []
    for r in rows:
        k = (r["family"], int(r["count"]))
        if k not in keys:
            keys.append(k)
    return sorted(keys, key=lambda k: (k[0], k[1]))


def table(rows, family, count, out):
    sel = [r for r in rows if r["family"] == family and int(r["count"]) == count]
    present = [d for d in ["limit-bgp", "limit-kernel"] + DAEMONS
               if any(r["daemon"] == d for r in sel)]
    med = {}
    out.append("### IPv%s, %s prefixes\n" % (family, format(count, ",")))
    out.append("| | runs | " + " | ".join(t for _, t, _ in FIGURES) + " |")
    out.append("|---" * (len(FIGURES) + 2) + "|")
    for d in present:
        rs = [r for r in sel if r["daemon"] == d]
        ok = len([r for r in rs if "failed" not in r])
        med[d] = {k: median(rs, k, div) for k, _, div in FIGURES}
        cells = [fmt(med[d][k], div) for k, _, div in FIGURES]
        runs = "%d" % ok if ok == len(rs) else "%d of %d" % (ok, len(rs))
        out.append("| %s | %s | %s |" % (NAMES.get(d, d), runs, " | ".join(cells)))
    out.append("")
    peers = [d for d in present if d in DAEMONS and d != "flatbgpd"]
    if "flatbgpd" in present and peers:
        out.append("flatbgpd / peer (below 1: flatbgpd is faster or smaller):\n")
        out.append("| flatbgpd / | " + " | ".join(t for _, t, _ in FIGURES) + " |")
        out.append("|---" * (len(FIGURES) + 1) + "|")
        for d in peers + [x for x in ("limit-kernel",) if x in present]:
            cells = [ratio(med["flatbgpd"][k], med[d][k]) for k, _, _ in FIGURES]
            out.append("| %s | %s |" % (NAMES.get(d, d), " | ".join(cells)))
        out.append("")
    return med


def targets(med, out):
    f = med.get("flatbgpd")
    if not f:
        return
    peers = {d: m for d, m in med.items() if d in DAEMONS and d != "flatbgpd"}

    def finite(v):
        return v is not None and not math.isinf(v)

    rows = []
    fastest = min((m["sink"] for m in peers.values() if finite(m["sink"])),
                  default=None)
    if finite(f["sink"]) and fastest:
        rows.append(("in+out ≤ 0.5 × the fastest peer",
                     "%.2f × (%s s vs %s s)" % (f["sink"] / fastest,
                                                fmt(f["sink"]), fmt(fastest)),
                     f["sink"] <= 0.5 * fastest))
    k = med.get("limit-kernel", {}).get("fib")
    if finite(f["fib"]) and finite(k):
        rows.append(("FIB within 1.1 × the kernel's limit",
                     "%.2f × (%s s vs %s s)" % (f["fib"] / k, fmt(f["fib"]),
                                                fmt(k)),
                     f["fib"] <= 1.1 * k))
    others = [m["wd"] for m in peers.values() if m["wd"] is not None]
    if finite(f["wd"]) and others:
        best = min(others)
        rows.append(("withdrawal faster than every peer",
                     "%s s vs the fastest peer's %s s" % (fmt(f["wd"]), fmt(best)),
                     f["wd"] < best))
    # The same, like for like: a peer without kernel routes has only a
    # sink to empty, so the sink and the FIB are compared on their own.
    for key, what in (("wd_sink", "the sink"), ("wd_fib", "the FIB")):
        others = [m[key] for m in peers.values() if m[key] is not None]
        if finite(f[key]) and others:
            best = min(others)
            rows.append(("(like for like) %s emptied faster than every "
                         "peer's" % what,
                         "%s s vs the fastest peer's %s s" % (
                             fmt(f[key]), fmt(best)), f[key] < best))
    if finite(f["hwm_kib"]):
        rows.append(("peak RSS ≤ 64 MiB", "%.1f MiB" % f["hwm_kib"],
                     f["hwm_kib"] <= 64))
    if finite(f["idle_kib"]):
        rows.append(("idle RSS ≤ 5 MiB (two sessions configured, one up)",
                     "%.1f MiB" % f["idle_kib"], f["idle_kib"] <= 5))
    out.append("Targets (issue 5), this run:\n")
    out.append("| target | flatbgpd | met |")
    out.append("|---|---|---|")
    for name, text, met in rows:
        out.append("| %s | %s | %s |" % (name, text, "yes" if met else "**no**"))
    out.append("")


def all_runs(rows, out):
    out.append("<details><summary>Every run</summary>\n")
    out.append("| daemon | family | prefixes | sink | fib | withdrawal (sink / fib) | peak KiB | CPU (s, total) | idle KiB |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "failed" in r:
            out.append("| %s | %s | %s | failed | | | | | |" % (
                r["daemon"], r["family"], r["count"]))
            continue
        out.append("| %s | %s | %s | %s | %s | %s / %s | %s | %s, %s | %s |" % (
            r["daemon"], r["family"], r["count"], r.get("sink", ""),
            r.get("fib", ""), r.get("wd_sink", "na"), r.get("wd_fib", "na"),
            r.get("hwm_kib", ""), r.get("cpu", ""), r.get("cpu_total", ""),
            r.get("idle_kib", "")))
    out.append("\n</details>\n")


def main():
    machine = {}
    versions = []
    with open(sys.argv[1]) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition(" ")
            if k == "version":
                versions.append(v)
            else:
                machine[k] = v
    rows = read_lines(sys.argv[2])
    out = ["# Benchmark results\n",
           "Produced by `bench/run.sh` (see bench/README.md) on %s." %
           machine.get("date", "?"), "",
           "- machine: %s, %s, Linux %s" % (machine.get("cpu", "?"),
                                            machine.get("memory", "?"),
                                            machine.get("kernel", "?")),
           "- load average before / after: %s / %s" % (
               machine.get("load-before", "?"), machine.get("load-after", "?")),
           "- plan: %s; duration %s" % (machine.get("plan", "?"),
                                        machine.get("duration", "?")),
           "- versions: " + ", ".join(versions), "",
           "Medians over the runs.  Times in seconds from the generator's "
           "first UPDATE byte (in+out, FIB) or from the generator closing its "
           "session (withdrawal: the later of sink and FIB empty).  n/a: no "
           "kernel routes (Debian's OpenBGPD, GoBGP without zebra) or not "
           "measured.", ""]
    med = {}
    for family, count in groups(rows):
        med[(family, count)] = table(rows, family, count, out)
    v4 = [k for k in med if k[0] == "4"]
    if v4:
        targets(med[max(v4, key=lambda k: k[1])], out)
    all_runs(rows, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
