#!/usr/bin/env python3
"""Arithmetic of the media benchmark (bench/calls/media.sh).

    media.py pairs W K            ports_K.txt ("inmate-leg-port trunk-leg-port" per bridged call of
                                  batch K) and calls_K.txt (the gateway's call id per line), joined
                                  through the gateway's log; prints the number of calls paired
    media.py header               the step table's header
    media.py window W LABEL CALLS T0 T1 HZ HEAP RSS GENS...
                                  one step row from the generators' last windows (gen_K.out), the
                                  CPU samples W/cpu0, W/cpu1, the gateway's metrics W/met0, W/met1;
                                  appends the row as JSON to W/rows.jsonl
    media.py capacity W           the highest passing staircase step's calls
    media.py cut W TARGET         which calls to cut off to come down to TARGET calls: prints
                                  "K LINE CALL_ID" lines, the newest batches first
    media.py summary W PEER_RESULTS
                                  key=value summary and the side-by-side table (markdown)

Ports: the gateway logs "call <id> from ... Call-ID <inmate's Call-ID>" and "<id> - INVITE ... to
trunk ... (Call-ID <trunk's Call-ID>)"; the UAC logs "APORT <Call-ID> <port>" (the gateway's port
in its 200 OK) and the UAS "TRK <Call-ID> <date> <time> <epoch> <port>" (the gateway's port in its
trunk INVITE).
"""
import glob
import json
import os
import re
import sys

LOSS_BOUND = float(os.environ.get("LOSS_BOUND", "0.5"))
DELIVERED_MIN = float(os.environ.get("DELIVERED_MIN", "99.5"))
# A packet this late is as good as lost for a call (a jitter buffer has dropped it): it counts as
# lost for the bound. The generators' histogram ends at 100 ms.
LATE_MS = min(float(os.environ.get("LATE_MS", "100")), 100.0)


def gateway_ids(w):
    inmate, trunk = {}, {}
    for line in open(os.path.join(w, "gateway.log"), errors="replace"):
        if "Call-ID" not in line:
            continue
        m = re.search(r' - call (\S+) from .* Call-ID (\S+)$', line.rstrip())
        if m:
            inmate[m.group(2)] = m.group(1)
            continue
        m = re.search(r' (\S+) - INVITE \S+ to trunk .*\(Call-ID (\S+)\)$', line.rstrip())
        if m:
            trunk[m.group(1)] = m.group(2)
    return inmate, trunk


def sipp_ports(path, tag):
    out = {}
    try:
        for line in open(path, errors="replace"):
            f = line.split()
            if len(f) >= 3 and f[0] == tag:
                out[f[1]] = int(f[-1])
    except OSError:
        pass
    return out


def pairs(w, k):
    inmate, trunk = gateway_ids(w)
    aport = sipp_ports(os.path.join(w, "uac_%s.log" % k), "APORT")
    bport = sipp_ports(os.path.join(w, "uas.log"), "TRK")
    ports, ids = [], []
    for cid, a in sorted(aport.items(), key=lambda x: int(x[0].split("-")[0])):
        call = inmate.get(cid)
        tcid = trunk.get(call) if call else None
        if tcid in bport:
            ports.append("%d %d" % (a, bport[tcid]))
            ids.append(call)
    with open(os.path.join(w, "ports_%s.txt" % k), "w") as f:
        f.write("".join(p + "\n" for p in ports))
    with open(os.path.join(w, "calls_%s.txt" % k), "w") as f:
        f.write("".join(i + "\n" for i in ids))
    print(len(ports))


COLS = ("calls bridged sent_pps relayed_pps gw_out_pps gaps% late% deliv% p50_us p99_us p999_us max_us "
        "gw_cpu% gw_us/pkt gw_user_us gen_cpu% sipp_cpu% sys_busy% other% heap_MB heap_kB/call "
        "rss_MB rss_kB/call verdict").split()


def header():
    print("%-8s %7s %8s %11s %10s %6s %6s %6s %7s %7s %7s %7s %7s %9s %10s %8s %9s %9s %6s %7s %12s %6s %11s %s" % tuple(COLS))


def cpu_file(path):
    """'name pid utime stime' lines -> {name: (utime, stime)} summed by name."""
    out = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 2 and f[0] == "SYS":
            out["SYS"] = tuple(int(x) for x in f[1:])
        elif len(f) == 4:
            u, s = out.get(f[0], (0, 0))
            out[f[0]] = (u + int(f[2]), s + int(f[3]))
    return out


def metric(path, name, labels=""):
    total = 0.0
    for line in open(path, errors="replace"):
        if line.startswith(name) and labels in line and not line.startswith("#"):
            try:
                total += float(line.split()[-1])
            except ValueError:
                pass
    return total


def last_window(path):
    """The last WIN/HIST pair of a generator's output."""
    win, hist = None, {}
    lines = open(path, errors="replace").read().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("WIN "):
            win = dict(kv.split("=") for kv in line.split()[1:])
            hist = {}
            if i + 1 < len(lines) and lines[i + 1].startswith("HIST"):
                for kv in lines[i + 1].split()[1:]:
                    us, c = kv.split(":")
                    hist[int(us)] = int(c)
    return win, hist


def pct(hist, total, q):
    want = max(1, int(q * total + 0.5))
    seen = 0
    for us in sorted(hist):
        seen += hist[us]
        if seen >= want:
            return us
    return 0


def window(w, label, calls, t0, t1, hz, heap, rss, gens):
    calls, t0, t1, hz, heap, rss = int(calls), float(t0), float(t1), float(hz), int(heap), int(rss)
    el = t1 - t0
    tot = dict(sent=0, received=0, stamped=0, lost=0, late=0, send_errors=0)
    hist = {}
    for g in gens:
        win, h = last_window(g)
        if not win:
            continue
        for k in tot:
            tot[k] += int(win[k])
        for us, c in h.items():
            hist[us] = hist.get(us, 0) + c
    c0, c1 = cpu_file(os.path.join(w, "cpu0")), cpu_file(os.path.join(w, "cpu1"))

    def cpu(name):
        a, b = c0.get(name, (0, 0)), c1.get(name, (0, 0))
        return (b[0] - a[0]) / hz, (b[1] - a[1]) / hz

    gu, gs = cpu("gateway")
    gen = sum(cpu("gen"))
    sipp = sum(cpu("uac")) + sum(cpu("uas"))
    s0, s1 = c0.get("SYS"), c1.get("SYS")
    busy = s1[0] - s0[0]
    idle = s1[1] - s0[1]
    allt = busy + idle + (s1[2] - s0[2])
    ncpu = os.cpu_count() or 2
    sys_busy = 100.0 * ncpu * busy / allt if allt else 0.0
    ours = 100.0 * (gu + gs + gen + sipp) / el
    m0, m1 = os.path.join(w, "met0"), os.path.join(w, "met1")
    gw_out = metric(m1, "icgw_rtp_packets_total", 'direction="out"') - metric(m0, "icgw_rtp_packets_total", 'direction="out"')
    bridged = int(open(os.path.join(w, "bridged")).read().strip() or 0)
    rcv = tot["received"]
    loss = 100.0 * tot["lost"] / (rcv + tot["lost"]) if rcv + tot["lost"] else 100.0
    late = sum(c for us, c in hist.items() if us >= LATE_MS * 1000)
    late_pct = 100.0 * late / tot["stamped"] if tot["stamped"] else 0.0
    deliv = 100.0 * rcv / tot["sent"] if tot["sent"] else 0.0
    base = json.load(open(os.path.join(w, "baseline.json")))
    heap_kb = (heap - base["heap"]) / 1024.0 / calls if calls and heap > 0 else float("nan")
    rss_kb = (rss - base["rss"]) / calls if calls else float("nan")
    # delivered above 100 %: a backlog of earlier packets drained in the window (the relay is behind)
    verdict = "PASS" if (loss + late_pct < LOSS_BOUND and DELIVERED_MIN <= deliv <= 200.0 - DELIVERED_MIN
                         and bridged >= calls) else "FAIL"
    row = dict(label=label, calls=calls, bridged=bridged, sent_pps=tot["sent"] / el, relayed_pps=rcv / el,
               gw_out_pps=gw_out / el, loss=loss, late=late_pct, deliv=deliv, stamped=tot["stamped"],
               p50=pct(hist, tot["stamped"], 0.50), p99=pct(hist, tot["stamped"], 0.99),
               p999=pct(hist, tot["stamped"], 0.999), max=max(hist) if hist else 0,
               gw_cpu=100.0 * (gu + gs) / el, gw_us=(gu + gs) * 1e6 / rcv if rcv else float("nan"),
               gw_user_us=gu * 1e6 / rcv if rcv else float("nan"), gen_cpu=100.0 * gen / el,
               sipp_cpu=100.0 * sipp / el, sys_busy=sys_busy, other=max(sys_busy - ours, 0.0),
               heap_mb=heap / 1048576.0 if heap > 0 else float("nan"), heap_kb=heap_kb, rss_mb=rss / 1024.0, rss_kb=rss_kb,
               send_errors=tot["send_errors"], reordered=tot["late"], verdict=verdict)
    with open(os.path.join(w, "rows.jsonl"), "a") as f:
        f.write(json.dumps(row) + "\n")
    print(fmt(row))


def fmt(r):
    return ("%-8s %7d %8.0f %11.0f %10.0f %6.3f %6.2f %6.2f %7d %7d %7d %7d %7.1f %9.2f %10.2f %8.1f %9.1f %9.1f %6.1f "
            "%7.1f %12.1f %6.1f %11.1f %s" % (
                r["label"], r["bridged"], r["sent_pps"], r["relayed_pps"], r["gw_out_pps"], r["loss"], r["late"], r["deliv"],
                r["p50"], r["p99"], r["p999"], r["max"], r["gw_cpu"], r["gw_us"], r["gw_user_us"], r["gen_cpu"],
                r["sipp_cpu"], r["sys_busy"], r["other"], r["heap_mb"], r["heap_kb"], r["rss_mb"], r["rss_kb"],
                r["verdict"]))


def rows(w):
    try:
        return [json.loads(l) for l in open(os.path.join(w, "rows.jsonl"))]
    except OSError:
        return []


def stair(w):
    return [r for r in rows(w) if r["label"].isdigit()]


def capacity(w):
    best = 0
    for r in stair(w):
        if r["verdict"] == "PASS":
            best = max(best, r["calls"])
        else:
            break
    print(best)


def cut(w, target):
    target = int(target)
    batches = []
    for path in glob.glob(os.path.join(w, "calls_*.txt")):
        k = int(re.search(r"calls_(\d+)\.txt$", path).group(1))
        ids = [l.strip() for l in open(path)]
        ports = [l.strip() for l in open(os.path.join(w, "ports_%d.txt" % k))]
        batches.append((k, [(i, ids[i]) for i in range(len(ids)) if ports[i] != "0 0"]))
    live = sum(len(b[1]) for b in batches)
    for k, calls in sorted(batches, reverse=True):
        for line, cid in reversed(calls):
            if live <= target:
                return
            print(k, line, cid)
            live -= 1


def peer_phase_b(path):
    """The peer's Phase B rows (calls, rtpe_cpu%, rtpe_rss_kB, loss%) and its baseline RSS."""
    out, rss0 = [], None
    if not path or not os.path.exists(path):
        return out, rss0
    inb = False
    for line in open(path, errors="replace"):
        if line.startswith("== Phase B"):
            inb = True
            continue
        if not inb:
            continue
        m = re.search(r"rtpengine RSS=(\d+) kB", line)
        if m:
            rss0 = int(m.group(1))
        f = line.split()
        if len(f) == 18 and f[0].isdigit():
            out.append(dict(calls=int(f[0]), sink_pps=float(f[5]), loss=float(f[7]), rtpe_cpu=float(f[9]),
                            rss=int(f[17])))
    return out, rss0


def summary(w, peer_path):
    rs = rows(w)
    st = stair(w)
    cap = 0
    for r in st:
        if r["verdict"] != "PASS":
            break
        cap = r["calls"]
    capr = next((r for r in st if r["calls"] == cap), None)
    first = st[0] if st else None
    lat = {r["label"]: r for r in rs if not r["label"].isdigit()}
    gcline = os.popen("python3 '%s/report.py' gc '%s/gc.log'" % (os.path.dirname(os.path.abspath(__file__)), w)).read().split()
    gc_pause, stalls, stall_ms = (gcline + ["nan", "0", "nan"])[:3]
    ended = ""
    for line in open(os.path.join(w, "ours.txt")):
        if line.startswith("MEDIA_STAIRCASE_ENDED="):
            ended = line.split("=", 1)[1].strip()
    lower = ended != "bound crossed"
    print("MEDIA_MAX_CONCURRENT_CALLS=%s%d" % (">=" if lower else "", cap))
    print("MEDIA_STAIRCASE_ENDED=%s" % ended)
    gaps_only = 0
    for r in st:
        if r["loss"] >= LOSS_BOUND:
            break
        gaps_only = r["calls"]
    print("MEDIA_CALLS_BY_GAPS_ONLY=%d   (sequence-gap loss < %.1f %% alone, late packets and backlog not counted)" % (
        gaps_only, LOSS_BOUND))
    if capr:
        print("MEDIA_GW_US_PER_PACKET=%.2f" % capr["gw_us"])
        print("MEDIA_GW_USER_US_PER_PACKET=%.2f" % capr["gw_user_us"])
        print("MEDIA_RELAYED_PPS=%.0f" % capr["relayed_pps"])
        print("MEDIA_HEAP_KB_PER_CALL=%.1f" % capr["heap_kb"])
        print("MEDIA_RSS_KB_PER_CALL=%.1f" % capr["rss_kb"])
    slope = None
    if capr and first and capr["calls"] > first["calls"] and capr["heap_mb"] > 0 and first["heap_mb"] > 0:
        slope = (capr["heap_mb"] - first["heap_mb"]) * 1024.0 / (capr["calls"] - first["calls"])
        rslope = (capr["rss_mb"] - first["rss_mb"]) * 1024.0 / (capr["calls"] - first["calls"])
        print("MEDIA_HEAP_KB_PER_CALL_SLOPE=%.1f" % slope)
        print("MEDIA_RSS_KB_PER_CALL_SLOPE=%.1f" % rslope)
    for k in ("50%", "90%"):
        r = lat.get(k)
        if r:
            print("MEDIA_LATENCY_%s=calls %d p50 %d us p99 %d us p99.9 %d us gaps %.3f %% late %.3f %%" % (
                k.rstrip("%"), r["calls"], r["p50"], r["p99"], r["p999"], r["loss"], r["late"]))
    print("MEDIA_GC=%s %s %s   (longest pause ms, allocation/relocation stalls, longest stall ms)" % (gc_pause, stalls, stall_ms))

    pb, rss0 = peer_phase_b(peer_path)
    bound = LOSS_BOUND
    pcap, prow, plower = 0, None, True
    for r in pb:
        if r["loss"] < bound and r["sink_pps"] >= 0.97 * 50 * r["calls"]:
            pcap, prow = r["calls"], r
        else:
            plower = False
            break
    if pb:
        print("PEER_MAX_CONCURRENT_CALLS=%s%d   (%s)" % (">=" if plower else "", pcap,
              "its staircase ended by its time budget" if plower else "loss bound crossed at the next step"))
    p_us = prow["rtpe_cpu"] / 100.0 * 1e6 / (100.0 * prow["calls"]) if prow else None
    p_rss = (prow["rss"] - rss0) / prow["calls"] if prow and rss0 else None

    def ratio(a, b):
        return "%.2fx" % (a / b) if a is not None and b else "-"

    print()
    print("| metric | ours | peer (Kamailio + rtpengine) | ratio | target |")
    print("|---|---|---|---|---|")
    print("| concurrent calls, RTP both ways, loss < %.1f %% (ours: gaps + packets later than 100 ms; + announcements, recording) | %s | %s | %s | >= 2x |" % (
        bound, (">= %d" if lower else "%d") % cap, ((">= %d" if plower else "%d") % pcap) if pb else "-",
        ratio(cap, pcap)))
    print("| CPU us per relayed packet at that load (ours: gateway; peer: rtpengine) | %s | %s | %s | <= 0.5x |" % (
        "%.1f" % capr["gw_us"] if capr else "-", "%.1f" % p_us if p_us else "-", ratio(capr["gw_us"] if capr else None, p_us)))
    print("| heap per call, kB (live after full GC, vs 0 calls / slope over the staircase) | %s | - (C) | - | <= 64 kB |" % (
        ("%.1f / %.1f" % (capr["heap_kb"], slope if slope is not None else float("nan"))) if capr else "-"))
    print("| RSS per call, kB (vs 0 calls) | %s | %s | %s | - |" % (
        "%.1f" % capr["rss_kb"] if capr else "-", "%.1f" % p_rss if p_rss else "-", ratio(capr["rss_kb"] if capr else None, p_rss)))
    for k in ("50%", "90%"):
        r = lat.get(k)
        print("| RTP added latency p50 / p99 us at %s of capacity | %s | - (not measured by the peer) | - | p99 < 1000 us |" % (
            k, "%d / %d (%d calls)" % (r["p50"], r["p99"], r["calls"]) if r else "-"))
    print("| longest GC pause (generational ZGC, whole run); allocation stalls | %s ms; %s stalls | - (C) | - | < 1 ms |" % (gc_pause, stalls))


def main():
    cmd = sys.argv[1]
    a = sys.argv[2:]
    if cmd == "pairs":
        pairs(a[0], a[1])
    elif cmd == "header":
        header()
    elif cmd == "window":
        window(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8:])
    elif cmd == "capacity":
        capacity(a[0])
    elif cmd == "cut":
        cut(a[0], a[1])
    elif cmd == "summary":
        summary(a[0], a[1] if len(a) > 1 else "")
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
