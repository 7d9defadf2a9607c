#!/usr/bin/env bash
# Call benchmark (issue 6): our gateway against the peer (Kamailio + rtpengine), one command,
# loopback only, bounded in time, stopping only what it started.
#
#   bash bench/calls/run.sh
#
# 1. builds the gateway, writes a seed of TERMINALS terminals, inmates (PINs) and funded accounts
#    (bench/calls/genseed.py) and the SIPp scenarios (bench/calls/scenarios.py);
# 2. under `flock $LOCK`: starts org.icgw.gateway.Main (generational ZGC, GC log, bench/calls/
#    icgw-bench.yaml, a fresh data folder), registers every terminal once (digest), then climbs a
#    ladder of complete inmate calls per second (STEP_S seconds each): INVITE -> 401 -> INVITE
#    with credentials -> PIN by SIP INFO -> policy -> trunk INVITE to a SIPp UAS that answers and
#    accepts (INFO 1) -> hold -> BYE -> CDR. Pass: < 1 % failed (SIPp failures, or calls that did
#    not end `completed` by the gateway's own count), retransmissions <= 2 %, achieved rate >= 95 %.
#    CPU of each process per step, setup times from the logs, the CDR count through the admin API;
# 3. under `flock $LOCK`: runs the peer benchmark ($PEER_DIR/run.sh) as it is;
# 4. prints one table: metric | ours | peer | ratio | target.
#
# Environment: CALL_RATES ("25 50 75 ..."), STEP_S (10), TERMINALS (6000), DIAL (direct: every call
# dials one number and the inmate's debit account pays; access: the access code 0, then the
# row's own number by INFO, paid by that number's prepaid account), HOLD_MS (1000, after the PIN),
# ACCEPT_MS (100, the callee's delay before pressing 1), WARMUP_RATE / WARMUP_S (40 / 30: JIT
# warm-up, not counted), JFR (1: record a profile of the ladder into OUT/gateway.jfr), PEER (0: skip the peer),
# PEER_DIR, PEER_ENV (env for the peer, default "DO_NORTPE=0 MAX_TOTAL_S=230"), HEAP (1g),
# HEAP_SETTLE_S (45: the wait after the ladder before the last live-heap histogram), OURS_BUDGET_S (360), LOCK (/tmp/icgw-bench.lock), OUT (results folder).
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/calls
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
LOCK=${LOCK:-/tmp/icgw-bench.lock}
CALL_RATES=${CALL_RATES:-"25 50 75 100 125 150 175 200 250"}
STEP_S=${STEP_S:-10}
TERMINALS=${TERMINALS:-6000}
DIAL=${DIAL:-direct}
HOLD_MS=${HOLD_MS:-1000}
ACCEPT_MS=${ACCEPT_MS:-100}
WARMUP_RATE=${WARMUP_RATE:-40}
WARMUP_S=${WARMUP_S:-30}
JFR=${JFR:-0}
PEER=${PEER:-1}
PEER_ENV=${PEER_ENV:-"DO_NORTPE=0 MAX_TOTAL_S=230"}
HEAP=${HEAP:-1g}
OURS_BUDGET_S=${OURS_BUDGET_S:-360}
HEAP_SETTLE_S=${HEAP_SETTLE_S:-45}
# Ports clear of the peer's (5060, 5070, 5090, 6000, 6100, 7000, 2223-2225, 5100-5199,
# 6200-6299, 30000-39999); RTP 40000-49999 is set in icgw-bench.yaml.
SIP_PORT=15060 UAC_PORT=15070 REG_PORT=15071 UAS_PORT=15080 HTTP_PORT=18080 UAC_MP=16000 UAS_MP=16100
TOKEN=${ICGW_STAFF_TOKEN:-icgw-demo-staff-token}

if [ -z "${PEER_DIR:-}" ]; then
    PEER_DIR=$ROOT/../shared/bench/peer
    [ -d "$PEER_DIR" ] || PEER_DIR=$ROOT/../../shared/bench/peer   # a worktree under /work/wt/
fi

# ------------------------------------------------------------------ ours (runs under the lock)
ours() {
    W=$1
    local HZ GW=
    STARTED=()
    HZ=$(getconf CLK_TCK)
    stop_pid() {
        local p=$1
        kill -0 "$p" 2>/dev/null || return 0
        kill -TERM "$p" 2>/dev/null
        for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
        kill -KILL "$p" 2>/dev/null
    }
    cleanup() {
        local i
        for (( i=${#STARTED[@]}-1; i>=0; i-- )); do stop_pid "${STARTED[$i]}"; done
        STARTED=()
    }
    trap cleanup EXIT
    trap 'cleanup; exit 130' INT TERM
    out() { echo "$*" | tee -a "$W/ours.txt"; }
    ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
    sys_ticks() { head -1 /proc/stat | awk '{print $2+$3+$4+$7+$8, $5+$6, $9}'; }
    # per-thread CPU ticks of the gateway: "tid ticks comm"
    thread_ticks() { for t in /proc/$1/task/*; do echo "${t##*/} $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0) $(cat "$t/comm" 2>/dev/null)"; done; }
    # histogram NAME: the live heap (a full GC first) into histogram_NAME.txt, its total into ours.txt
    histogram() {
        "$JAVA_HOME/bin/jcmd" $GW GC.class_histogram 2>/dev/null >"$W/histogram_$1.txt"
        out "HEAP_LIVE_${1^^}=$(awk '/^Total/{printf "%.0f MB in %d objects", $3/1048576, $2}' "$W/histogram_$1.txt")"
    }
    active() { curl -s "http://127.0.0.1:$HTTP_PORT/metrics" | awk '/^icgw_calls_active /{print int($2)}'; }

    for p in $SIP_PORT $UAC_PORT $REG_PORT $UAS_PORT $UAC_MP $UAS_MP; do
        if ss -Hlun "sport = :$p" | grep -q .; then echo "UDP port $p in use: aborting" >&2; exit 1; fi
    done
    if ss -Hltn "sport = :$HTTP_PORT" | grep -q .; then echo "TCP port $HTTP_PORT in use: aborting" >&2; exit 1; fi

    local JOPTS=(-XX:+UseZGC -Xms"$HEAP" -Xmx"$HEAP" "-Xlog:gc*:file=$W/gc.log:uptime,level,tags"
                 -Dlogback.configurationFile="$HERE/logback.xml")
    "$JAVA_HOME/bin/java" "${JOPTS[@]}" -cp "$ROOT/gateway/target/classes:$ROOT/gateway/target/lib/*" \
        org.icgw.gateway.Main --config "$HERE/icgw-bench.yaml" --data "$W/data" --seed "$W/seed.yaml" \
        --sip-port $SIP_PORT --trunk 127.0.0.1:$UAS_PORT --http-port $HTTP_PORT --digest MD5,SHA-256 \
        >"$W/gateway.log" 2>&1 &
    GW=$!; STARTED+=("$GW")
    local t0; t0=$(date +%s)
    until curl -sf "http://127.0.0.1:$HTTP_PORT/readyz" >/dev/null 2>&1; do
        kill -0 $GW 2>/dev/null || { echo "gateway exited: see $W/gateway.log" >&2; tail -5 "$W/gateway.log" >&2; exit 1; }
        [ $(( $(date +%s) - t0 )) -lt 120 ] || { echo "gateway not ready after 120 s" >&2; exit 1; }
        sleep 0.5
    done
    out "gateway pid $GW ready in $(( $(date +%s) - t0 )) s ($(grep -o 'store ready: .*' "$W/gateway.log"))"
    out "PINs: Argon2id at the cheapest cost (8 KiB, 1 pass; bench/calls/icgw-bench.yaml), not the production 19 MiB x 2"

    # every terminal registers once
    (cd "$W" && timeout 120 sipp 127.0.0.1:$SIP_PORT -sf "$W/sc/register.xml" -inf "$W/register.csv" -i 127.0.0.1 \
        -p $REG_PORT -m "$TERMINALS" -r 1000 -l 2000 -recv_timeout 10000 -nostdin -trace_err -error_file "$W/register.err" \
        >"$W/register.out" 2>&1)
    local regs; regs=$(curl -s "http://127.0.0.1:$HTTP_PORT/readyz" | grep -o '"registrations":[0-9]*' | cut -d: -f2)
    out "registered: ${regs:-0} of $TERMINALS terminals"
    # the live heap before any call (a full GC first): the baseline the heap must return to
    histogram base

    # the trunk and callee: one SIPp UAS for the whole run
    (cd "$W" && exec timeout $((OURS_BUDGET_S + 10)) sipp -sf "$W/sc/uas.xml" -i 127.0.0.1 -p $UAS_PORT -mi 127.0.0.1 \
        -mp $UAS_MP -set accept_ms "$ACCEPT_MS" -nostdin -trace_logs -log_file "$W/uas.log" -trace_err \
        -error_file "$W/uas.err" -trace_stat -stf "$W/uas.csv" -fd 1 >"$W/uas.out" 2>&1) &
    local UASW=$!; STARTED+=("$UASW"); sleep 0.5
    local UAS; UAS=$(pgrep -P $UASW sipp | head -1); UAS=${UAS:-$UASW}

    local DIALED=5735550123
    [ "$DIAL" = access ] && DIALED=0
    # run_step RATE CALLS: one SIPp UAC run; prints nothing, leaves uac_RATE.{csv,log,out}
    run_step() {
        local R=$1 N=$2
        (cd "$W" && exec timeout $((STEP_S * 3 + 30)) sipp 127.0.0.1:$SIP_PORT -sf "$W/sc/uac-$DIAL.xml" -inf "$W/calls.csv" \
            -i 127.0.0.1 -p $UAC_PORT -mi 127.0.0.1 -mp $UAC_MP -key dialed $DIALED \
            -auth_uri "$DIALED@127.0.0.1:$SIP_PORT" -set hold_ms "$HOLD_MS" -r "$R" -m "$N" -l $((R * 5 + 50)) \
            -recv_timeout 10000 -trace_stat -stf "$W/uac_$R.csv" -fd 1 -trace_logs -log_file "$W/uac_$R.log" \
            -trace_err -error_file "$W/uac_$R.err" -nostdin >"$W/uac_$R.out" 2>&1) &
        UACW=$!; STARTED+=("$UACW"); sleep 0.3
        UAC=$(pgrep -P $UACW sipp | head -1); UAC=${UAC:-$UACW}
    }
    settle() {   # until no call is in progress (at most 20 s)
        for _ in $(seq 80); do [ "$(active)" = 0 ] && return 0; sleep 0.25; done
    }

    out "warm-up (not counted): $WARMUP_RATE calls/s for $WARMUP_S s"
    run_step "$WARMUP_RATE" $((WARMUP_RATE * WARMUP_S)); wait $UACW 2>/dev/null; settle
    mv "$W/uac_$WARMUP_RATE.csv" "$W/warmup.csv" 2>/dev/null; mv "$W/uac_$WARMUP_RATE.log" "$W/warmup.log" 2>/dev/null

    # JFR=1: a profile of the ladder alone (not of start-up, seed load, registration, warm-up)
    [ "$JFR" = 1 ] && "$JAVA_HOME/bin/jcmd" $GW JFR.start name=ladder settings=profile >/dev/null
    out ""
    out "== ours: complete inmate calls ladder, ${STEP_S} s per step, dial $DIAL, hold ${HOLD_MS} ms after the PIN, accept after ${ACCEPT_MS} ms =="
    python3 "$HERE/report.py" header | tee -a "$W/ours.txt"
    local best=0 fails=0 R
    for R in $CALL_RATES; do
        local N=$((R * STEP_S))
        [ "$N" -le "$TERMINALS" ] || { out "rate $R needs $N distinct terminals > $TERMINALS: stop"; break; }
        [ $(( $(date +%s) - START_OURS + STEP_S + 40 + HEAP_SETTLE_S )) -lt "$OURS_BUDGET_S" ] || { out "time budget: ladder stopped"; break; }
        curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >"$W/met0"
        local g0 u0 s0 y0 c0=0 c1=0 tA tB
        thread_ticks $GW >"$W/threads0"
        g0=$(ticks $GW); s0=$(ticks $UAS); y0=$(sys_ticks); tA=$(date +%s.%N)
        run_step "$R" "$N"
        c0=$(ticks $UAC); c1=$c0
        while kill -0 $UACW 2>/dev/null; do c1=$(ticks $UAC); sleep 0.2; done
        wait $UACW 2>/dev/null
        tB=$(date +%s.%N)
        local g1 s1 y1; g1=$(ticks $GW); s1=$(ticks $UAS); y1=$(sys_ticks)
        thread_ticks $GW >"$W/threads1"
        python3 "$HERE/report.py" threads "$W/threads0" "$W/threads1" "$tA" "$tB" "$HZ" >"$W/threads_$R.txt"
        settle
        curl -s "http://127.0.0.1:$HTTP_PORT/metrics" >"$W/met1"
        local line
        line=$(python3 "$HERE/report.py" step "$W" "$R" "$N" "$tA" "$tB" "$HZ" "$g0" "$g1" "$c0" "$c1" "$s0" "$s1" \
            "$y0" "$y1" "$W/met0" "$W/met1")
        out "$line"
        if echo "$line" | grep -q PASS; then best=$R; fails=0
        else fails=$((fails + 1)); [ $fails -ge 2 ] && break; fi
        sleep 1
    done
    out "MAX_SUSTAINED_CPS=$best"
    [ "$JFR" = 1 ] && "$JAVA_HOME/bin/jcmd" $GW JFR.stop name=ladder filename="$W/gateway.jfr" >/dev/null

    # CDRs through the admin API, every page
    local off=0 total=0 completed=0 page
    while :; do
        page=$(curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$HTTP_PORT/api/v1/cdrs?limit=1000&offset=$off")
        local n c; n=$(echo "$page" | grep -o '"call_id"' | wc -l); c=$(echo "$page" | grep -o '"disposition":"completed"' | wc -l)
        total=$((total + n)); completed=$((completed + c))
        [ "$n" -eq 1000 ] || break
        off=$((off + 1000))
    done
    local placed; placed=$(python3 "$HERE/report.py" placed "$W")
    out "CDRS_TOTAL=$total"
    out "CDRS_COMPLETED=$completed"
    out "CALLS_PLACED=$placed (warm-up included)"
    # the live heap right after the ladder, and once finished calls' lingering state (Call-IDs
    # 40 s, SIP transactions 32 s) may have gone
    histogram after
    sleep "$HEAP_SETTLE_S"
    histogram settled
    stop_pid "$GW"
    out "GC=$(python3 "$HERE/report.py" gc "$W/gc.log")   (longest pause ms, allocation/relocation stalls, longest stall ms)"
    cleanup
}

if [ "${1:-}" = __ours ]; then
    START_OURS=$(date +%s)
    ours "$2"
    exit 0
fi

# ------------------------------------------------------------------ the whole run
# (a function: bash reads it whole before running, so an edit of this file cannot break a run)
main() {
    T_START=$(date +%s)
    W=${OUT:-$(mktemp -d /tmp/callbench.XXXXXX)}
    mkdir -p "$W"
    echo "call bench: results in $W" >&2
    command -v sipp >/dev/null || { echo "sipp (sip-tester) is needed" >&2; exit 1; }
    echo "building the gateway ..." >&2
    (cd "$ROOT" && mvn -B -q -o -pl gateway -am package -DskipTests >"$W/build.log" 2>&1) \
        || { echo "build failed: see $W/build.log" >&2; exit 1; }
    python3 "$HERE/genseed.py" "$TERMINALS" "$W"
    python3 "$HERE/scenarios.py" "$W/sc"
    {
        echo "== versions =="
        "$JAVA_HOME/bin/java" -version 2>&1 | head -1
        sipp -v 2>&1 | grep -m1 SIPp
        echo "kernel $(uname -r); cpus $(nproc); $(grep -m1 'model name' /proc/cpuinfo)"
    } | tee "$W/ours.txt"

    echo "waiting for $LOCK, then our ladder (at most $OURS_BUDGET_S s) ..." >&2
    flock "$LOCK" timeout -k 10 "$OURS_BUDGET_S" "$0" __ours "$W"
    grep -q '^MAX_SUSTAINED_CPS=' "$W/ours.txt" || { echo "our ladder did not run: see $W" >&2; exit 1; }

    PEER_RES=
    if [ "$PEER" = 1 ]; then
        if [ -x "$PEER_DIR/run.sh" ]; then
            echo "waiting for $LOCK, then the peer ($PEER_DIR/run.sh, $PEER_ENV) ..." >&2
            env $PEER_ENV flock "$LOCK" "$PEER_DIR/run.sh" >"$W/peer.out" 2>&1
            PEER_RES=$(grep -o '/tmp/peerbench/run\.[0-9-]*' "$W/peer.out" | tail -1)/results.txt
            [ -f "$PEER_RES" ] && cp "$PEER_RES" "$W/peer-results.txt" && PEER_RES=$W/peer-results.txt
        else
            echo "no peer benchmark at $PEER_DIR" >&2
        fi
    fi

    echo
    echo "== ours =="
    cat "$W/ours.txt"
    if [ -n "$PEER_RES" ] && [ -f "$PEER_RES" ]; then echo; echo "== peer ($PEER_RES) =="; cat "$PEER_RES"; fi
    echo
    python3 "$HERE/report.py" table "$W" "$PEER_RES" | tee "$W/table.md"
    echo
    echo "elapsed $(( $(date +%s) - T_START )) s; artefacts in $W"
}

main "$@"
exit $?
