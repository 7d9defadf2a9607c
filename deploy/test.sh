#!/usr/bin/env bash
# The whole test suite, from a clean clone: installs PostgreSQL (the storage tests start and stop
# their own server) and SIPp, then builds and runs every module's tests.
cd "$(dirname "$0")/.."
. deploy/env.sh
ensure_packages postgresql sip-tester
exec mvn -B -ntp verify "$@"
