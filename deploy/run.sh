#!/usr/bin/env bash
# Runs the gateway with the embedded store (./data), the sample configuration and the demo seed.
cd "$(dirname "$0")/.."
. deploy/env.sh
mvn -B -q -ntp -DskipTests package
exec java -cp "gateway/target/classes:gateway/target/lib/*" org.icgw.gateway.Main \
  --data data --seed deploy/seed/demo.yaml --digest MD5,SHA-256 "$@"
