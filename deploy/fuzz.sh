#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers at the gateway's edge with Jazzer, each target for a
# bounded time. The test run (deploy/test.sh) replays only the seed corpora; this fuzzes.
#
#   bash deploy/fuzz.sh [seconds-per-target, default 60] [target...]
#
# Targets (default: all, in this order): sip-gate sdp info config admin-json rtp rtcp
# telephone-event. libFuzzer runs one fuzz test per JVM, so each target is its own Maven run;
# its output is kept in target/fuzz/<target>.log.
#
# Exit status 1 when a target found an input that fails (an exception other than the parser's
# own refusal, a broken invariant, a timeout). The input is written beside the target's seeds,
# <module>/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>, where the test run
# replays it from then on: fix the bug and keep the file as the regression input. The inputs that
# reached new coverage collect in <module>/.cifuzz-corpus/ (not committed).
cd "$(dirname "$0")/.."
. deploy/env.sh

seconds=60
if [[ $# -gt 0 && $1 =~ ^[0-9]+$ ]]; then
  seconds=$1
  shift
fi

# target -> module and JUnit selector
declare -A TARGETS=(
  [sip-gate]="gateway org.icgw.gateway.sip.SipRequestGateFuzzTest#gate"
  [sdp]="gateway org.icgw.gateway.sip.b2bua.SdpFuzzTest#read"
  [info]="gateway org.icgw.gateway.sip.b2bua.InfoBodyFuzzTest#read"
  [config]="gateway org.icgw.gateway.config.ConfigLoaderFuzzTest#load"
  [admin-json]="gateway org.icgw.gateway.admin.JsonBodyFuzzTest#facility"
  [rtp]="media org.icgw.media.rtp.RtpPacketFuzzTest#rtp"
  [rtcp]="media org.icgw.media.rtp.RtpPacketFuzzTest#rtcp"
  [telephone-event]="media org.icgw.media.dtmf.TelephoneEventDecoderFuzzTest#decode"
)
ORDER=(sip-gate sdp info config admin-json rtp rtcp telephone-event)

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=("${ORDER[@]}")
fi
for t in "${targets[@]}"; do
  if [ -z "${TARGETS[$t]:-}" ]; then
    echo "unknown target '$t'; targets: ${ORDER[*]}" >&2
    exit 2
  fi
done

# Coverage feedback from our code and from the libraries that parse for it (JAIN-SIP's SIP and
# SDP parsers, Jackson and SnakeYAML); by default Jazzer would instrument only our classes.
export JAZZER_INSTRUMENT='org.icgw.**,gov.nist.**,com.fasterxml.jackson.**,org.yaml.snakeyaml.**'
# One input taking longer than this many seconds is a finding (a loop that does not end, a regex
# gone wild): libFuzzer's -timeout, given as Jazzer's libFuzzer arguments (the first is argv[0]).
PER_INPUT_TIMEOUT=10

mkdir -p target/fuzz
failed=()
for t in "${targets[@]}"; do
  read -r module selector <<<"${TARGETS[$t]}"
  log="target/fuzz/$t.log"
  echo "fuzzing $t ($selector) for ${seconds}s ..."
  set +e
  JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" mvn -B -ntp test -pl "$module" -am \
    -Dtest="$selector" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout="$PER_INPUT_TIMEOUT" >"$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | grep -oE '[0-9]+ runs' || true)
  if [ -z "$runs" ]; then
    # cut short by a finding: libFuzzer's last status line counts the runs so far
    runs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#' || true)
    runs=${runs:+$runs runs}
  fi
  written=$(grep -aoE 'Test unit written to [^ ]+' "$log" | sed 's/Test unit written to //' | sort -u || true)
  if [ "$rc" -eq 0 ]; then
    echo "  $t: ${runs:-? runs}, no finding"
  else
    failed+=("$t")
    echo "  $t: FAILED after ${runs:-? runs} (see $log)"
    grep -a -m1 -E '^== Java Exception|FuzzTestFindingException|libFuzzer: timeout|Caused by|AssertionError' "$log" | sed 's/^/    /' || true
    for f in $written; do
      echo "    input written to $f"
    done
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "findings in: ${failed[*]}" >&2
  exit 1
fi
echo "no findings in ${#targets[@]} target(s), ${seconds}s each"
