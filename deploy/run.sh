#!/usr/bin/env bash
# Runs the gateway with the built-in defaults (deploy/icgw.yaml documents them: embedded store in ./data,
# SIP 127.0.0.1:5060, HTTP 127.0.0.1:8080) and the demo seed. Extra options go to Main, e.g. --config FILE.
cd "$(dirname "$0")/.."
. deploy/env.sh
mvn -B -q -ntp -DskipTests package
exec java -cp "gateway/target/classes:gateway/target/lib/*" org.icgw.gateway.Main \
  --data data --seed deploy/seed/demo.yaml --digest MD5,SHA-256 "$@"
