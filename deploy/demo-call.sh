#!/usr/bin/env bash
# Places the demo call with SIPp against a gateway started by `bash ./deploy/run.sh` (defaults:
# SIP 127.0.0.1:5060, trunk 127.0.0.1:5080, admin API 127.0.0.1:8080):
#   1. a SIPp UAS plays the trunk and the callee, who answers and presses 1 (accept) by SIP INFO;
#   2. the demo phone pod-a-1 registers (digest), dials 573-555-0123, keys PIN 424242 by SIP INFO,
#      talks for HOLD_MS (default 8000) and hangs up;
#   3. the call's CDR and the family's prepaid balance are read back through the admin API.
# MENU_DIGIT=2 refuses the call, MENU_DIGIT=9 blocks the number (then run it again: denied).
cd "$(dirname "$0")/.."
. deploy/env.sh
ensure_packages sip-tester curl python3
scenarios="$PWD/test-scenarios"
work=$(mktemp -d /tmp/icgw-demo.XXXXXX)
python3 deploy/demo/pcap.py "$work/inmate.pcap" 60 1001
python3 deploy/demo/pcap.py "$work/callee.pcap" 60 2002
token=${ICGW_STAFF_TOKEN:-icgw-demo-staff-token}
sipp_common=(-i 127.0.0.1 -mi 127.0.0.1 -t u1 -m 1 -nostdin -timeout 90s -timeout_error)

cd "$work"
timeout 100 sipp -sf "$scenarios/uas-answer-press-info.xml" "${sipp_common[@]}" -p 5080 -mp 16000 \
  -key menu_digit "${MENU_DIGIT:-1}" > trunk.out 2>&1 &
trunk=$!
trap 'kill "$trunk" 2>/dev/null' EXIT
sleep 1
echo "registering pod-a-1"
timeout 30 sipp 127.0.0.1:5060 -sf "$scenarios/uac-register-digest.xml" "${sipp_common[@]}" -p 15060 \
  -s pod-a-1 -au pod-a-1 -ap demo-pod-a-1-secret > register.out 2>&1 \
  || { echo "registration failed: see $work/register.out"; exit 1; }
echo "calling 573-555-0123 with PIN 424242"
timeout 100 sipp 127.0.0.1:5060 -sf "$scenarios/uac-call-info-pin-hangup.xml" "${sipp_common[@]}" -p 15062 -mp 16100 \
  -key user pod-a-1 -au pod-a-1 -ap demo-pod-a-1-secret -key dialed 5735550123 \
  -auth_uri 5735550123@127.0.0.1:5060 -key pin1 4 -key pin2 2 -key pin3 4 -key pin4 2 -key pin5 4 -key pin6 2 \
  -set hold_ms "${HOLD_MS:-8000}" > call.out 2>&1 \
  || echo "the inmate's SIPp run did not end as scripted: see $work/call.out"
wait "$trunk" || echo "the trunk's SIPp run did not end as scripted: see $work/trunk.out"
trap - EXIT
echo "last call record:"
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:8080/api/v1/cdrs?number=%2B15735550123&limit=1"
echo
echo "prepaid account:"
curl -s -H "Authorization: Bearer $token" http://127.0.0.1:8080/api/v1/accounts/acct-reyes-family
echo
echo "SIPp logs in $work"
