#!/usr/bin/env python3
"""The call benchmark's arithmetic, run by bench/calls/run.sh.

    report.py step W RATE N T0 T1 HZ GW0 GW1 UAC0 UAC1 UAS0 UAS1 "SYS0" "SYS1" "MET0" "MET1"
        one line of the CPS ladder: SIPp's counters (W/uac_RATE.csv), the gateway's dispositions
        (metrics before/after, files MET0 MET1), CPU of each process, the setup times
    report.py gc GCLOG            longest GC pause (ms) in a -Xlog:gc* file
    report.py table W RESULTS     the final table (ours from W/ours.txt, the peer's from RESULTS)

Setup times join three clocks of one host (CLOCK_REALTIME): SIPp's [timestamp] in the UAC's and
the UAS's logs (microseconds) and the gateway's log (milliseconds), per call through the
gateway's INFO lines "call <id> ... Call-ID <inmate's>" and "INVITE ... (Call-ID <trunk's>)".
  dial  = trunk INVITE received by the UAS - credentialed inmate INVITE sent by the UAC
          (includes the six PIN INFO round trips the UAC drives, the PIN check and the decision)
  bridge = the gateway's "audio bridged" - the UAS sending its accepting INFO (Signal=1)
"""
import csv
import datetime
import glob
import os
import re
import sys


def pct(values, p):
    if not values:
        return float("nan")
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def metrics(path):
    out = {}
    try:
        for line in open(path):
            m = re.match(r'icgw_calls_total\{disposition="([a-z_]+)"\} ([0-9.eE+]+)', line)
            if m:
                out[m.group(1)] = float(m.group(2))
    except OSError:
        pass
    return out


GW_TS = re.compile(r'^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{3})(\d{0,3}) ')


def gw_time(line):
    m = GW_TS.match(line)
    if not m:
        return None
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").timestamp()
    return t + int(m.group(2)) / 1e3 + (int(m.group(3)) / 1e6 if m.group(3) else 0.0)


def gateway_log(path):
    """call id -> inmate Call-ID, trunk Call-ID, time of 'audio bridged'."""
    inmate, trunk, bridged = {}, {}, {}
    for line in open(path, errors="replace"):
        if "Call-ID" in line:
            m = re.search(r' - call (\S+) from .* Call-ID (\S+)$', line)
            if m:
                inmate[m.group(2)] = m.group(1)
                continue
            m = re.search(r' (\S+) - INVITE \S+ to trunk .*\(Call-ID (\S+)\)$', line)
            if m:
                trunk[m.group(2)] = m.group(1)
        elif line.rstrip().endswith("- audio bridged"):
            m = re.search(r' (\S+) - audio bridged$', line.rstrip())
            if m:
                bridged[m.group(1)] = gw_time(line)
    return inmate, trunk, bridged


def sipp_times(path, tag):
    """'TAG <Call-ID> <date> <time> <epoch> ...' -> Call-ID: epoch."""
    out = {}
    for f in glob.glob(path):
        for line in open(f, errors="replace"):
            p = line.split()
            if len(p) >= 5 and p[0] == tag:
                try:
                    out[p[1]] = float(p[4])
                except ValueError:
                    pass
    return out


def setup_times(w, rate):
    inv = sipp_times(os.path.join(w, "uac_%s.log" % rate), "INV")
    trk = sipp_times(os.path.join(w, "uas.log"), "TRK")
    acc = sipp_times(os.path.join(w, "uas.log"), "ACC")
    inmate, trunk, bridged = gateway_log(os.path.join(w, "gateway.log"))
    by_call = {}
    for tcid, call in trunk.items():
        by_call[call] = tcid
    dial, bridge = [], []
    for cid, t0 in inv.items():
        call = inmate.get(cid)
        tcid = by_call.get(call) if call else None
        if not tcid:
            continue
        if tcid in trk:
            dial.append((trk[tcid] - t0) * 1000)
        if tcid in acc and call in bridged:
            bridge.append((bridged[call] - acc[tcid]) * 1000)
    return dial, bridge


def step(a):
    w, rate, n = a[0], int(a[1]), int(a[2])
    t0, t1, hz = float(a[3]), float(a[4]), float(a[5])
    g0, g1, c0, c1, s0, s1 = map(int, a[6:12])
    y0 = list(map(int, a[12].split()))
    y1 = list(map(int, a[13].split()))
    m0, m1 = metrics(a[14]), metrics(a[15])
    try:
        rows = list(csv.reader(open(os.path.join(w, "uac_%d.csv" % rate)), delimiter=";"))
        h, last = rows[0], rows[-1]
        g = lambda k: int(last[h.index(k)])
        ok, fail, rt = g("SuccessfulCall(C)"), g("FailedCall(C)"), g("Retransmissions(C)")
        per = [int(r[h.index("OutgoingCall(P)")]) for r in rows[1:]]
    except (OSError, ValueError, IndexError) as e:
        print("%6d parse-error %s" % (rate, e))
        return
    act = [p for p in per if p > 0]
    if len(act) > 3:
        act = act[1:-1]
    ach = sum(act) / len(act) if act else 0.0
    delta = {k: m1.get(k, 0) - m0.get(k, 0) for k in set(m0) | set(m1)}
    completed = int(delta.get("completed", 0))
    other = int(sum(v for k, v in delta.items() if k != "completed"))
    tot = ok + fail
    failed = max(fail, n - completed)
    fp = 100.0 * failed / n if n else 100.0
    el = t1 - t0
    cpu = lambda x, y: 100.0 * (y - x) / hz / el
    busy, idle, st = y1[0] - y0[0], y1[1] - y0[1], y1[2] - y0[2]
    alls = busy + idle + st
    sb = 200.0 * busy / alls if alls else 0.0
    ours = cpu(g0, g1) + cpu(c0, c1) + cpu(s0, s1)
    dial, bridge = setup_times(w, rate)
    verdict = "PASS" if (tot >= 0.99 * n and fp < 1.0 and rt <= 0.02 * n and ach >= 0.95 * rate) else "FAIL"
    gw_ms_per_call = (g1 - g0) / hz * 1000.0 / completed if completed else float("nan")
    print("%6d %6d %6d %6d %7d %6d %6.2f %6d %8.1f %7.1f %7.1f %8.1f %8.1f %8.1f %8.1f %8.1f %7.1f %7.1f %7.1f %7d  %s" % (
        rate, n, ok, fail, completed, other, fp, rt, ach, cpu(g0, g1), gw_ms_per_call, cpu(c0, c1), cpu(s0, s1), sb,
        max(sb - ours, 0.0), pct(dial, 50), pct(dial, 99), pct(bridge, 50), pct(bridge, 99), len(dial), verdict))


STEP_HEADER = ("  rate  calls  uac_ok uac_fail completed other fail% retrans achieved  gw_cpu%  gw_ms/call"
               " uac_cpu% uas_cpu% sys_busy% other% dial_p50 dial_p99 bridge_p50 bridge_p99 timed  verdict")


def placed(w):
    """Calls the UAC placed over the run (warm-up and every step), from SIPp's cumulative counters."""
    total = 0
    for f in glob.glob(os.path.join(w, "uac_*.csv")) + [os.path.join(w, "warmup.csv")]:
        try:
            rows = list(csv.reader(open(f), delimiter=";"))
            total += int(rows[-1][rows[0].index("OutgoingCall(C)")])
        except (OSError, ValueError, IndexError):
            pass
    return total


def threads(f0, f1, t0, t1, hz):
    """CPU of the gateway's threads over a step, summed by name (digits folded), % of one core."""
    def read(f):
        out = {}
        for line in open(f):
            p = line.split(None, 2)
            if len(p) == 3:
                out[p[0]] = (int(p[1]), p[2].strip())
        return out
    a, b = read(f0), read(f1)
    agg = {}
    for tid, (t, name) in b.items():
        d = t - a.get(tid, (0, name))[0]
        key = re.sub(r"\d+", "N", name)
        agg[key] = agg.get(key, 0) + d
    el = float(t1) - float(t0)
    total = sum(agg.values())
    lines = ["%-24s %7.1f%%" % (k, 100.0 * v / float(hz) / el) for k, v in sorted(agg.items(), key=lambda x: -x[1]) if v]
    return "\n".join(["gateway threads, %% of one core over %.1f s (total %.1f%%)" % (el, 100.0 * total / float(hz) / el)] + lines)


def gc(path):
    """'<longest safepoint pause ms> <allocation/relocation stalls> <longest stall ms>' from a -Xlog:gc* file.

    ZGC's pauses (Pause Mark Start, Mark End, Relocate Start) stop every thread; a stall stops only
    the thread that could not allocate (or relocate) until the collector freed memory, which is a
    pause for that thread all the same."""
    worst, stalls, worst_stall = 0.0, 0, 0.0
    try:
        for line in open(path, errors="replace"):
            line = line.rstrip()
            m = re.search(r"Pause [A-Za-z ()]+ ([0-9.]+)ms$", line)
            if m:
                worst = max(worst, float(m.group(1)))
                continue
            m = re.search(r"\] (Allocation|Relocation) Stall \(.*\) ([0-9.]+)ms$", line)
            if m:
                stalls += 1
                worst_stall = max(worst_stall, float(m.group(2)))
    except OSError:
        return "nan 0 nan"
    return "%.3f %d %.1f" % (worst, stalls, worst_stall)


def table(w, results):
    ours = {}
    for line in open(os.path.join(w, "ours.txt")):
        if "=" in line and not line.startswith(" "):
            k, v = line.rstrip("\n").split("=", 1)
            ours[k] = v
    steps = [l.split() for l in open(os.path.join(w, "ours.txt")) if re.match(r"^\s*\d+\s+\d+\s+\d+", l)]
    peer_txt = open(results).read() if results and os.path.exists(results) else ""
    m = re.search(r"MAX_SUSTAINED_CPS\[kamailio\+rtpengine\]=(\d+)", peer_txt)
    peer_cps = int(m.group(1)) if m else None
    m = re.search(r"MAX_SUSTAINED_CPS\[kamailio-only\]=(\d+)", peer_txt)
    peer_cps_k = int(m.group(1)) if m else None
    # the peer's INVITE->200 response time at its best passing step (rtt_inv_200_ms column)
    peer_rows = [l.split() for l in peer_txt.splitlines() if re.match(r"^\s*\d+\s+\d+\s+\d+\s+\d+\s+[0-9.]+\s+\d+\s", l)
                 and l.rstrip().endswith(("PASS", "FAIL"))]
    peer_rtt = peer_ms_call = None
    for r in peer_rows:
        if peer_cps and int(r[0]) == peer_cps and r[-1] == "PASS":
            peer_rtt = float(r[7])
            peer_ms_call = (float(r[8]) + float(r[9])) / 100.0 / float(r[6]) * 1000.0
    m = re.search(r"MAX_CONCURRENT_RTP_CALLS\([^)]*\)=(\d+)", peer_txt)
    peer_conc = int(m.group(1)) if m else None
    m = re.search(r"rtpengine RSS ([0-9.]+) kB/call", peer_txt)
    peer_rss = float(m.group(1)) if m else None
    peer_us_pkt = None
    for l in peer_txt.splitlines():
        p = l.split()
        if len(p) == 18 and p[0].isdigit() and peer_conc and int(p[0]) == peer_conc:
            try:
                # rtpengine's own pkt/s when rtpengine-ctl answered, else the expected 100 per call
                pps = float(p[3]) if float(p[3]) > 0 else float(p[4])
                peer_us_pkt = float(p[9]) / 100.0 * 1e6 / pps
            except (ValueError, ZeroDivisionError):
                pass
    best = int(ours.get("MAX_SUSTAINED_CPS", "0"))

    def fmt(v, f="%g"):
        return "-" if v is None else (f % v)

    def ratio(a, b):
        return "-" if (a is None or not b) else "%.2fx" % (a / b)

    rows = []
    rows.append(("complete inmate calls/s (<1 % failed, >=95 % of rate)", fmt(best, "%d"),
                 fmt(peer_cps, "%d") + ("" if peer_cps_k is None else " (kamailio alone %d)" % peer_cps_k),
                 ratio(best, peer_cps), ">= 1.0x"))
    sel = [s for s in steps if int(s[0]) == best]
    if sel:
        s = sel[0]
        rows.append(("setup p50/p99 ms at %d/s: inmate INVITE -> trunk INVITE (PIN, policy)" % best,
                     "%s / %s" % (s[15], s[16]),
                     "-" if peer_rtt is None else "INVITE->200 via proxy %.1f" % peer_rtt, "-", "-"))
        rows.append(("setup p50/p99 ms at %d/s: callee accept -> audio bridged" % best,
                     "%s / %s" % (s[17], s[18]), "-", "-", "-"))
        ms_call = float(s[10])
        rows.append(("CPU ms per call at the best rate (ours: gateway; peer: kamailio + rtpengine)", s[10],
                     fmt(peer_ms_call, "%.2f"), ratio(ms_call, peer_ms_call), "-"))
    rows.append(("concurrent calls with RTP at <0.5 % loss", "not measured", fmt(peer_conc, "%d") + " (<1 % loss)",
                 "-", ">= 2x"))
    rows.append(("CPU us per relayed packet", "not measured (bench/relay: see its README)",
                 fmt(peer_us_pkt, "%.1f"), "-", "<= 0.5x"))
    rows.append(("memory per call (heap / RSS)", "not measured", "RSS " + fmt(peer_rss, "%.1f kB"), "-", "<= 64 kB heap"))
    rows.append(("RTP added latency p50/p99", "not measured", "-", "-", "p99 < 1 ms"))
    g = ours.get("GC", "nan 0 nan").split()
    rows.append(("longest GC pause (ZGC, whole run); threads stalled on allocation", "%s ms; %s stalls, longest %s ms"
                 % (g[0], g[1], g[2]), "- (C)", "-", "< 1 ms"))
    wd = [max(len(r[i]) for r in rows + [("metric", "ours", "peer", "ratio", "target")]) for i in range(5)]
    line = lambda r: "| " + " | ".join(r[i].ljust(wd[i]) for i in range(5)) + " |"
    print(line(("metric", "ours", "peer", "ratio", "target")))
    print("|" + "|".join("-" * (x + 2) for x in wd) + "|")
    for r in rows:
        print(line(r))


if __name__ == "__main__":
    if sys.argv[1] == "step":
        step(sys.argv[2:])
    elif sys.argv[1] == "header":
        print(STEP_HEADER)
    elif sys.argv[1] == "placed":
        print(placed(sys.argv[2]))
    elif sys.argv[1] == "threads":
        print(threads(*sys.argv[2:7]))
    elif sys.argv[1] == "gc":
        print(gc(sys.argv[2]))
    elif sys.argv[1] == "table":
        table(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
