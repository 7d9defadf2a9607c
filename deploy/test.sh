#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs PostgreSQL (the storage tests start and stop
# their own server), SIPp, and fail2ban (fail2ban-regex checks the shipped filter; its service is
# not started), then builds and runs every module's tests.
cd "$(dirname "$0")/.."
. deploy/env.sh
ensure_packages postgresql sip-tester fail2ban
exec mvn -B -ntp verify "$@"
