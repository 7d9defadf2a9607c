#!/usr/bin/env bash
# Media relay benchmark: a MediaEngine process (RelayHarness, ZGC) relays N bridged sessions with
# recording, DTMF/dial-tone detection and periodic announcement mixing; relaygen (C, a separate
# process) sends 50 packets/s per leg and times what comes back. Loopback only, bounded in time,
# stops exactly the processes it started.
#
#   bench/relay/run.sh                       # 200, 500, 1000 sessions
#   STEPS="100" MEASURE=5 bench/relay/run.sh # quick check
#   RECORD=0 DETECT=0 bench/relay/run.sh     # relay and mixing only
#   JFR=1 bench/relay/run.sh                 # also record a JFR profile per step
#   INMATE_DTMF=0 bench/relay/run.sh         # inmate's in-band DTMF off once bridged (as the gateway)
set -euo pipefail

# The whole run stays within BUDGET seconds: the script re-runs itself under timeout(1), which
# sends TERM at the deadline; the trap below then stops what this script started.
BUDGET=${BUDGET:-420}
if [ -z "${RELAYBENCH_INNER:-}" ]; then
    RELAYBENCH_INNER=1 exec timeout -k 15 "$BUDGET" "$0" "$@"
fi

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
STEPS=${STEPS:-"200 500 1000"}
WARMUP=${WARMUP:-8}
MEASURE=${MEASURE:-15}
ANNOUNCE_EVERY=${ANNOUNCE_EVERY:-20}
IO_THREADS=${IO_THREADS:-0}
HEAP=${HEAP:-2g}
JFR=${JFR:-}
RECORD=${RECORD:-1}
DETECT=${DETECT:-1}
INMATE_DTMF=${INMATE_DTMF:-0}
FLOOR=${FLOOR:-0}

WORK=$(mktemp -d /tmp/relaybench.XXXXXX)
PIDS=()

stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
    for pid in "${PIDS[@]}"; do
        stop_pid "$pid"
    done
    rm -rf "$WORK"/rec.* "$WORK"/classes
}
trap cleanup EXIT
trap 'echo "relay bench: interrupted" >&2; exit 130' INT TERM

echo "building (media module, harness, generator) ..." >&2
(cd "$ROOT" && mvn -B -q -o -pl media compile dependency:build-classpath \
    -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null)
# Runtime dependencies plus logback (a test dependency of the module), without the test libraries.
CP="$ROOT/media/target/classes:$(tr ':' '\n' <"$WORK/cp.txt" | grep -vE 'junit|opentest4j|apiguardian|assertj|byte-buddy' | paste -sd:)"
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -d "$WORK/classes" -cp "$CP" \
    $(find "$ROOT/bench/relay/src" -name '*.java')
gcc -O2 -Wall -Werror -o "$WORK/relaygen" "$ROOT/bench/relay/relaygen.c"
gcc -O2 -Wall -Werror -o "$WORK/floorrelay" "$ROOT/bench/relay/floorrelay.c"

# Runs relaygen against the relay process $1 whose ports are in $2; prints its result line.
measure() {
    local pid=$1 ports=$2
    for _ in $(seq 1 300); do
        [ -s "$ports" ] && break
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.2
    done
    [ -s "$ports" ] || return 1
    local line rss_kb
    line=$(timeout $((WARMUP + MEASURE + 30)) "$WORK/relaygen" "$ports" "$pid" "$WARMUP" "$MEASURE")
    rss_kb=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
    echo "$line rss_mb=$((rss_kb / 1024))"
}

RESULTS=()
for N in $STEPS; do
    PORTS="$WORK/ports.$N"
    JFR_OPT=()
    if [ -n "$JFR" ]; then
        JFR_OPT=("-XX:StartFlightRecording=filename=$WORK/relay-$N.jfr,settings=profile,delay=${WARMUP}s,duration=${MEASURE}s")
    fi
    "$JAVA_HOME/bin/java" -XX:+UseZGC -Xms"$HEAP" -Xmx"$HEAP" "${JFR_OPT[@]}" ${JAVA_OPTS:-} \
        -Dlogback.configurationFile="$ROOT/bench/relay/logback.xml" \
        -cp "$WORK/classes:$CP" org.icgw.bench.relay.RelayHarness \
        "$N" "$PORTS" "$WORK/rec.$N" "$ANNOUNCE_EVERY" "$IO_THREADS" "$RECORD" "$DETECT" "$INMATE_DTMF" >"$WORK/harness.$N.log" 2>&1 &
    HPID=$!
    PIDS+=("$HPID")
    LINE=$(measure "$HPID" "$PORTS") || { cat "$WORK/harness.$N.log" >&2; echo "harness did not open $N sessions" >&2; exit 1; }
    stop_pid "$HPID"
    rm -rf "$WORK/rec.$N"
    echo "$LINE" >&2
    RESULTS+=("java $LINE")
    if [ "$FLOOR" = 1 ]; then
        # The floor: a minimal C relay (floorrelay.c) on the same load, right after ours.
        "$WORK/floorrelay" "$N" 50000 "$WORK/floorports.$N" &
        FPID=$!
        PIDS+=("$FPID")
        LINE=$(measure "$FPID" "$WORK/floorports.$N") || { echo "floorrelay did not start" >&2; exit 1; }
        stop_pid "$FPID"
        echo "floor $LINE" >&2
        RESULTS+=("floor $LINE")
    fi
done

get() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p" <<<"$2"; }
printf '\n%-6s %-9s %12s %9s %10s %9s %10s %9s %8s %8s %9s %7s\n' relay sessions relayed_pps loss_% delivered% relay_cpu µs/packet user_µs p50_µs p99_µs p99.9_µs rss_MB
for R in "${RESULTS[@]}"; do
    printf '%-6s %-9s %12.0f %9s %10s %8s%% %10s %9s %8s %8s %9s %7s\n' "${R%% *}" "$(get sessions "$R")" \
        "$(echo "$(get received "$R") / $MEASURE" | bc -l)" "$(get loss_pct "$R")" "$(get delivered_pct "$R")" \
        "$(get relay_cpu_pct "$R")" "$(get cpu_us_per_pkt "$R")" "$(get user_us_per_pkt "$R")" \
        "$(get p50_us "$R")" "$(get p99_us "$R")" "$(get p999_us "$R")" "$(get rss_mb "$R")"
done
if [ -n "$JFR" ]; then
    cp "$WORK"/relay-*.jfr /tmp/ 2>/dev/null && echo "JFR recordings copied to /tmp/relay-<N>.jfr" >&2
fi
