#!/usr/bin/env bash
# Media benchmark (issue 6, rows 2-4): concurrent bridged inmate calls with RTP both ways through
# our gateway, announcements mixed and every call recorded, against the peer's Phase B
# (Kamailio + rtpengine). Loopback only, bounded in time, stopping only what it started.
#
#   bash bench/calls/media.sh
#
# 1. builds the gateway, writes the seed (bench/calls/genseed.py; the facility's periodic
#    announcement every ANNOUNCE_S seconds) and the SIPp scenarios (bench/calls/scenarios.py),
#    compiles bench/calls/mediagen.c;
# 2. under `flock $LOCK`: starts org.icgw.gateway.Main (generational ZGC, GC log), registers the
#    terminals, measures the 0-call heap (live bytes after a full GC) and RSS, then climbs a
#    staircase: each step places BATCH more complete inmate calls (SIPp UAC: INVITE, digest, PIN
#    by INFO, policy, trunk INVITE to a SIPp UAS that answers and accepts by INFO 1) that stay up
#    (hold of an hour); once the batch is bridged its gateway ports are paired per call from the
#    logs and one mediagen process starts 50 packets/s on each leg of each of its calls; after
#    SETTLE_S every generator measures the same WINDOW_S window: loss, delivery, latency; the
#    gateway's CPU (utime+stime) over the window per relayed packet; then heap and RSS per call.
#    A step passes when the sequence-gap loss plus the packets later than LATE_MS (100 ms: a
#    jitter buffer has dropped them) stay under LOSS_BOUND %, DELIVERED_MIN-(200-DELIVERED_MIN) %
#    of the packets sent in the window arrive in it (above 100: a backlog drained, the relay is
#    behind) and every call is still bridged; the first failing step ends the staircase. Then the calls are
#    cut off (admin API, newest first) down to 90 % and 50 % of the capacity, and each is measured
#    again for its latency;
# 3. under `flock $LOCK`: the peer's Phase B ($PEER_DIR/run.sh with its Phase A emptied), same loss
#    bound (its loss: sequence gaps at its sink, and >= 97 % of the expected packets per second); or PEER=0 and PEER_RESULTS=<a results.txt of the peer> to reuse one;
# 4. prints the step table, a key=value summary and the side-by-side table (also MEDIA_TABLE.md).
#
# Environment: BATCH (100), BATCH_CPS (50), MAX_CALLS (1500), SETTLE_S (3), WINDOW_S (10),
# WARMUP_S (10, extra time before the first window), ANNOUNCE_S (20), LOSS_BOUND (0.5),
# DELIVERED_MIN (99.5), LATE_MS (100), HEAP (1g), OURS_BUDGET_S (240), PEER (1), PEER_DIR, PEER_MAX_S (150), PEER_BATCH (150 calls per peer step, set up in 2 s),
# PEER_RESULTS, KEEP_WAV (0: the recordings are counted, then deleted), LOCK
# (/tmp/icgw-bench.lock), OUT (results folder).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/calls
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
LOCK=${LOCK:-/tmp/icgw-bench.lock}
BATCH=${BATCH:-100}
BATCH_CPS=${BATCH_CPS:-50}
MAX_CALLS=${MAX_CALLS:-1500}
SETTLE_S=${SETTLE_S:-3}
WINDOW_S=${WINDOW_S:-10}
WARMUP_S=${WARMUP_S:-10}
ANNOUNCE_S=${ANNOUNCE_S:-20}
export LOSS_BOUND=${LOSS_BOUND:-0.5}
export DELIVERED_MIN=${DELIVERED_MIN:-99.5}
HEAP=${HEAP:-1g}
OURS_BUDGET_S=${OURS_BUDGET_S:-240}
PEER=${PEER:-1}
PEER_MAX_S=${PEER_MAX_S:-150}
PEER_BATCH=${PEER_BATCH:-150}
KEEP_WAV=${KEEP_WAV:-0}
# Ports clear of the peer's (5060, 5070, 5090, 6000, 6100, 7000, 2223-2225, 5100-5199,
# 6200-6299, 30000-39999) and of bench/calls/run.sh's (15060-16199, 18080); the gateway's RTP
# is 40000-49999 (icgw-bench.yaml), the generators bind 50000 + 2 x call index.
SIP_PORT=25060 REG_PORT=25071 UAS_PORT=25080 UAC_PORT0=25100 HTTP_PORT=28080 UAS_MP=26100 UAC_MP0=26200 GEN_PORT0=50000
TOKEN=${ICGW_STAFF_TOKEN:-icgw-demo-staff-token}
ITOKEN=${ICGW_INVESTIGATOR_TOKEN:-icgw-demo-investigator-token}

if [ -z "${PEER_DIR:-}" ]; then
    PEER_DIR=$ROOT/../shared/bench/peer
    [ -d "$PEER_DIR" ] || PEER_DIR=$ROOT/../../shared/bench/peer   # a worktree under /work/wt/
fi

# ------------------------------------------------------------------ ours (runs under the lock)
ours() {
    W=$1
    cd "$W" || exit 1
    local HZ GW= UAS= T0
    T0=$(date +%s)
    STARTED=()
    HZ=$(getconf CLK_TCK)
    stop_pid() {
        local p=$1 n=${2:-100}
        kill -0 "$p" 2>/dev/null || return 0
        kill -TERM "$p" 2>/dev/null
        for _ in $(seq "$n"); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
    }
    cleanup() {
        local i
        for (( i=${#STARTED[@]}-1; i>=0; i-- )); do stop_pid "${STARTED[$i]}" 300; done
        STARTED=()
    }
    trap cleanup EXIT
    trap 'cleanup; exit 130' INT TERM
    out() { echo "$*" | tee -a "$W/ours.txt"; }
    left() { echo $(( OURS_BUDGET_S - ($(date +%s) - T0) )); }
    pstat() { awk '{print $14, $15}' "/proc/$1/stat" 2>/dev/null || echo "0 0"; }
    calls_json() { curl -s -m 5 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/api/v1/calls"; }
    bridged() { calls_json | grep -o '"state":"bridged"' | wc -l; }
    states() {  # "<bridged> <in progress, not bridged>"
        local j; j=$(calls_json)
        echo "$(echo "$j" | grep -o '"state":"bridged"' | wc -l) $(echo "$j" | grep -o '"state":"[a-z_]*"' | grep -vc '"bridged"')"
    }
    # the gateway's threads: "tid ticks comm" (summed by name per window: threads_<step>.txt)
    thread_ticks() { local t; for t in /proc/$GW/task/*; do echo "${t##*/} $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0) $(cat "$t/comm" 2>/dev/null)"; done; }
    rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
    live_heap() {   # live bytes after a full GC (GC.class_histogram collects first); keeps the 40 largest classes
        "$JAVA_HOME/bin/jcmd" "$GW" GC.class_histogram 2>/dev/null >"$W/histo.tmp"
        { head -43 "$W/histo.tmp"; grep '^Total' "$W/histo.tmp"; } >"$W/histogram_$1.txt"
        awk '/^Total/{print $3}' "$W/histo.tmp"; rm -f "$W/histo.tmp"
    }

    for p in $SIP_PORT $REG_PORT $UAS_PORT $UAS_MP; do
        if ss -Hlun "sport = :$p" | grep -q .; then echo "UDP port $p in use: aborting" >&2; exit 1; fi
    done
    if ss -Hltn "sport = :$HTTP_PORT" | grep -q .; then echo "TCP port $HTTP_PORT in use: aborting" >&2; exit 1; fi

    "$JAVA_HOME/bin/java" -XX:+UseZGC -Xms"$HEAP" -Xmx"$HEAP" "-Xlog:gc*:file=$W/gc.log:uptime,level,tags" \
        -Dlogback.configurationFile="$HERE/logback.xml" -cp "$ROOT/gateway/target/classes:$ROOT/gateway/target/lib/*" \
        org.icgw.gateway.Main --config "$HERE/icgw-bench.yaml" --data "$W/data" --seed "$W/seed.yaml" \
        --sip-port $SIP_PORT --trunk 127.0.0.1:$UAS_PORT --http-port $HTTP_PORT --digest MD5,SHA-256 --drain 0s \
        >"$W/gateway.log" 2>&1 &
    GW=$!; STARTED+=("$GW")
    until curl -sf "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; do
        kill -0 $GW 2>/dev/null || { echo "gateway exited: see $W/gateway.log" >&2; tail -5 "$W/gateway.log" >&2; exit 1; }
        [ "$(left)" -gt $((OURS_BUDGET_S - 120)) ] || { echo "gateway not ready after 120 s" >&2; exit 1; }
        sleep 0.5
    done
    out "gateway pid $GW ready in $(( $(date +%s) - T0 )) s; heap $HEAP, generational ZGC"

    timeout 60 sipp 127.0.0.1:$SIP_PORT -sf "$W/sc/register.xml" -inf "$W/register.csv" -i 127.0.0.1 -p $REG_PORT \
        -m "$MAX_CALLS" -r 1000 -l 2000 -recv_timeout 10000 -nostdin -trace_err -error_file "$W/register.err" \
        >"$W/register.out" 2>&1
    out "registered: $(curl -s "http://127.0.0.1:$HTTP_PORT/readyz" | grep -o '"registrations":[0-9]*' | cut -d: -f2) of $MAX_CALLS terminals"

    timeout $((OURS_BUDGET_S + 10)) sipp -sf "$W/sc/uas.xml" -i 127.0.0.1 -p $UAS_PORT -mi 127.0.0.1 -mp $UAS_MP \
        -set accept_ms 100 -default_behaviors all,-abortunexp -nostdin -trace_logs -log_file "$W/uas.log" -trace_err -error_file "$W/uas.err" \
        >"$W/uas.out" 2>&1 &
    local UASW=$!; STARTED+=("$UASW"); sleep 0.5
    UAS=$(pgrep -P $UASW sipp | head -1); UAS=${UAS:-$UASW}

    sleep 2
    local heap0 rss0
    heap0=$(live_heap 0); rss0=$(rss_kb $GW)
    echo "{\"heap\": ${heap0:-0}, \"rss\": ${rss0:-0}}" >"$W/baseline.json"
    out "baseline at 0 calls: live heap $(( ${heap0:-0} / 1024 )) kB, RSS ${rss0} kB"

    GENS=()     # generator pid per batch (index k-1), empty once stopped
    UACS=()     # SIPp UAC pid per batch
    sample() {  # "name pid utime stime" lines and SYS busy idle steal
        echo "gateway $GW $(pstat $GW)"
        echo "uas $UAS $(pstat $UAS)"
        local p
        for p in "${GENS[@]}"; do [ -n "$p" ] && echo "gen $p $(pstat $p)"; done
        for p in "${UACS[@]}"; do [ -n "$p" ] && echo "uac $p $(pstat $p)"; done
        head -1 /proc/stat | awk '{print "SYS", $2+$3+$4+$7+$8, $5+$6, $9}'
    }
    # measure LABEL CALLS HEAP(1/0): one window over every running generator, one row
    measure() {
        local label=$1 calls=$2 withheap=$3 p k t0 t1 files=() counts=()
        for k in "${!GENS[@]}"; do
            p=${GENS[$k]}; [ -n "$p" ] || continue
            files+=("$W/gen_$((k + 1)).out"); counts+=("$(grep -c '^WIN' "$W/gen_$((k + 1)).out")")
        done
        curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >"$W/met0"
        thread_ticks >"$W/thr0"
        sample >"$W/cpu0"; t0=$(date +%s.%N)
        for p in "${GENS[@]}"; do [ -n "$p" ] && kill -USR1 "$p"; done
        sleep "$WINDOW_S"
        for p in "${GENS[@]}"; do [ -n "$p" ] && kill -USR2 "$p"; done
        t1=$(date +%s.%N); sample >"$W/cpu1"
        thread_ticks >"$W/thr1"
        python3 "$HERE/report.py" threads "$W/thr0" "$W/thr1" "$t0" "$t1" "$HZ" >"$W/threads_$label.txt"
        curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >"$W/met1"
        bridged >"$W/bridged"
        local i
        for i in "${!files[@]}"; do
            for _ in $(seq 50); do [ "$(grep -c '^WIN' "${files[$i]}")" -gt "${counts[$i]}" ] && break; sleep 0.1; done
        done
        local heap=-1 rss
        [ "$withheap" = 1 ] && heap=$(live_heap "$label")
        rss=$(rss_kb $GW)
        cp "$W/cpu0" "$W/cpu0_$label"; cp "$W/cpu1" "$W/cpu1_$label"
        python3 "$HERE/media.py" window "$W" "$label" "$calls" "$t0" "$t1" "$HZ" "${heap:--1}" "${rss:-0}" "${files[@]}" \
            >>"$W/ours.txt"
        tail -1 "$W/ours.txt"
    }

    out ""
    out "== ours: staircase of +$BATCH bridged calls ($BATCH_CPS calls/s), RTP 50 pkt/s each way per call, announcement every ${ANNOUNCE_S} s, recording on; ${WINDOW_S} s windows, loss bound ${LOSS_BOUND} % =="
    python3 "$HERE/media.py" header | tee -a "$W/ours.txt"
    local k=0 calls=0 DIALED=5735550123 line ended="MAX_CALLS ($MAX_CALLS) reached"
    while [ $((calls + BATCH)) -le "$MAX_CALLS" ]; do
        [ "$(left)" -gt $((BATCH / BATCH_CPS + SETTLE_S + WINDOW_S + 60)) ] || { ended="time budget"; break; }
        k=$((k + 1))
        { echo SEQUENTIAL; sed -n "$(( (k - 1) * BATCH + 2 )),$(( k * BATCH + 1 ))p" "$W/calls.csv"; } >"$W/calls_$k.csv"
        timeout $((OURS_BUDGET_S + 10)) sipp 127.0.0.1:$SIP_PORT -sf "$W/sc/uac-direct.xml" -inf "$W/calls_$k.csv" \
            -i 127.0.0.1 -p $((UAC_PORT0 + k)) -mi 127.0.0.1 -mp $((UAC_MP0 + 4 * k)) -key dialed $DIALED \
            -auth_uri "$DIALED@127.0.0.1:$SIP_PORT" -set hold_ms 3600000 -r "$BATCH_CPS" -m "$BATCH" -l "$BATCH" \
            -recv_timeout 10000 -default_behaviors all,-abortunexp -trace_logs -log_file "$W/uac_$k.log" -trace_err -error_file "$W/uac_$k.err" \
            -nostdin >"$W/uac_$k.out" 2>&1 &
        local uw=$!; STARTED+=("$uw"); sleep 0.3
        local up; up=$(pgrep -P $uw sipp | head -1); UACS+=("${up:-$uw}")
        # the batch bridged (at most 30 s), then its ports from the logs (SIPp writes its log lines late)
        # (every call placed and none still in set-up, or 20 s: the gateway ends a call whose
        # inmate leg sent no RTP for 30 s since its INVITE, so the generator must start before)
        local want=$((calls + BATCH)) have=0 setup=0 n=0 tb; tb=$(date +%s)
        while [ $(( $(date +%s) - tb )) -lt 20 ]; do
            read -r have setup < <(states)
            [ "$have" -ge "$want" ] && break
            [ $(( $(date +%s) - tb )) -gt $((BATCH / BATCH_CPS + 1)) ] && [ "$setup" = 0 ] && break
            sleep 0.25
        done
        for _ in $(seq 40); do
            n=$(python3 "$HERE/media.py" pairs "$W" "$k")
            [ "$n" -ge $((have - calls)) ] && break; sleep 0.25
        done
        [ "$n" -gt 0 ] || { ended="batch $k: no call bridged"; break; }
        "$W/mediagen" "$W/ports_$k.txt" $((OURS_BUDGET_S + 10)) $((GEN_PORT0 + 2 * calls)) >"$W/gen_$k.out" 2>&1 &
        GENS+=("$!"); STARTED+=("$!")
        calls=$((calls + n))
        out "# t+$(( $(date +%s) - T0 ))s batch $k: $have bridged of $want placed ($setup still in set-up), $n paired and sending"
        if [ "$k" = 1 ]; then sleep $((SETTLE_S + WARMUP_S)); else sleep "$SETTLE_S"; fi
        line=$(measure "$calls" "$calls" 1)
        echo "$line"
        echo "$line" | grep -q PASS || { ended="bound crossed"; break; }
    done
    local cap; cap=$(python3 "$HERE/media.py" capacity "$W")
    out "MEDIA_STAIRCASE_CAPACITY=$cap"
    out "MEDIA_STAIRCASE_ENDED=$ended"

    # latency at 90 % and 50 % of the capacity: cut the newest calls off through the admin API
    local pct target
    for pct in 90 50; do
        target=$((cap * pct / 100))
        [ "$target" -gt 0 ] && [ "$target" -lt "$calls" ] || continue
        [ "$(left)" -gt $((WINDOW_S + SETTLE_S + 30)) ] || { out "time budget: no $pct % step"; break; }
        python3 "$HERE/media.py" cut "$W" "$target" >"$W/cut_$pct.txt"
        local kk ln cid urls=()
        while read -r kk ln cid; do
            sed -i "$((ln + 1))s/.*/0 0/" "$W/ports_$kk.txt"
            urls+=("http://127.0.0.1:$HTTP_PORT/api/v1/calls/$cid")
        done <"$W/cut_$pct.txt"
        for kk in $(awk '{print $1}' "$W/cut_$pct.txt" | sort -u); do
            if grep -qv '^0 0$' "$W/ports_$kk.txt"; then kill -HUP "${GENS[$((kk - 1))]}"
            else stop_pid "${GENS[$((kk - 1))]}"; GENS[$((kk - 1))]=""; fi
        done
        [ ${#urls[@]} -gt 0 ] && curl -s -X DELETE -H "Authorization: Bearer $ITOKEN" "${urls[@]}" >/dev/null
        for _ in $(seq 80); do [ "$(bridged)" -le "$target" ] && break; sleep 0.25; done
        calls=$target
        out "# t+$(( $(date +%s) - T0 ))s cut off $(wc -l <"$W/cut_$pct.txt") calls: $(bridged) bridged"
        sleep $((2 * SETTLE_S))   # the backlog of the failing step drains first
        measure "$pct%" "$target" 0
    done

    # the calls end with their SIPp processes stopped first, then the gateway (drain 0 s)
    local p
    for p in "${GENS[@]}"; do [ -n "$p" ] && stop_pid "$p"; done
    GENS=()
    stop_pid "$GW" 300
    local wavs; wavs=$(find "$W/data" -name '*.wav' 2>/dev/null | wc -l)
    out "RECORDINGS=$wavs WAV files, $(du -sm "$W/data" 2>/dev/null | cut -f1) MB in the data folder"
    [ "$KEEP_WAV" = 1 ] || find "$W/data" -name '*.wav' -delete 2>/dev/null
    cleanup
}

if [ "${1:-}" = __ours ]; then
    ours "$2"
    exit 0
fi

# ------------------------------------------------------------------ the whole run
main() {
    local T_START; T_START=$(date +%s)
    W=${OUT:-$(mktemp -d /tmp/mediabench.XXXXXX)}
    mkdir -p "$W"
    echo "media bench: results in $W" >&2
    command -v sipp >/dev/null || { echo "sipp (sip-tester) is needed" >&2; exit 1; }
    echo "building the gateway ..." >&2
    (cd "$ROOT" && mvn -B -q -o -pl gateway -am package -DskipTests >"$W/build.log" 2>&1) \
        || { echo "build failed: see $W/build.log" >&2; exit 1; }
    gcc -O2 -Wall -o "$W/mediagen" "$HERE/mediagen.c" || exit 1
    python3 "$HERE/genseed.py" "$MAX_CALLS" "$W"
    sed -i "s/^    announcement_interval_seconds: .*/    announcement_interval_seconds: $ANNOUNCE_S/" "$W/seed.yaml"
    python3 "$HERE/scenarios.py" "$W/sc"
    {
        echo "== versions =="
        "$JAVA_HOME/bin/java" -version 2>&1 | head -1
        sipp -v 2>&1 | grep -m1 SIPp
        echo "kernel $(uname -r); cpus $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"
    } | tee "$W/ours.txt"

    echo "waiting for $LOCK, then our staircase (at most $OURS_BUDGET_S s) ..." >&2
    flock "$LOCK" timeout -k 10 $((OURS_BUDGET_S + 30)) bash "$0" __ours "$W"
    grep -q '^MEDIA_STAIRCASE_CAPACITY=' "$W/ours.txt" || { echo "our staircase did not run: see $W" >&2; exit 1; }

    local PEER_RES=${PEER_RESULTS:-}
    if [ "$PEER" = 1 ]; then
        if [ -x "$PEER_DIR/run.sh" ]; then
            echo "waiting for $LOCK, then the peer's Phase B ($PEER_DIR/run.sh, Phase A emptied) ..." >&2
            CPS_RATES=" " DO_NORTPE=0 RTP_LOSS_LIMIT="$LOSS_BOUND" MAX_TOTAL_S="$PEER_MAX_S" \
                RTP_BATCH="$PEER_BATCH" RTP_BATCH_CPS=$((PEER_BATCH / 2)) \
                flock "$LOCK" "$PEER_DIR/run.sh" >"$W/peer.out" 2>&1
            PEER_RES=$(grep -o '/tmp/peerbench/run\.[0-9-]*' "$W/peer.out" | tail -1)/results.txt
            [ -f "$PEER_RES" ] && cp "$PEER_RES" "$W/peer-results.txt" && PEER_RES=$W/peer-results.txt
        else
            echo "no peer benchmark at $PEER_DIR" >&2
        fi
    fi

    echo
    echo "== ours =="
    cat "$W/ours.txt"
    if [ -n "$PEER_RES" ] && [ -f "$PEER_RES" ]; then
        echo; echo "== peer Phase B ($PEER_RES) =="; sed -n '/== Phase B/,$p' "$PEER_RES"
    fi
    echo
    python3 "$HERE/media.py" summary "$W" "$PEER_RES" | tee "$W/summary.txt"
    echo
    echo "elapsed $(( $(date +%s) - T_START )) s; artefacts in $W"
}

main "$@"
exit $?
