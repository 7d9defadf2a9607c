#!/usr/bin/env bash
# JMH benchmark of the policy decision with 10,000 inmates, on embedded H2 and on PostgreSQL
# (a throwaway server started and stopped by the benchmark's own JVM). About 6 minutes.
# Extra arguments go to JMH, e.g. `-p store=h2` or `-f 1 -wi 1 -i 2`.
cd "$(dirname "$0")/../.."
. deploy/env.sh
ensure_packages postgresql
mvn -B -q -ntp -DskipTests -pl bench -am package
exec java -cp "bench/target/icgw-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" org.openjdk.jmh.Main \
  'org.icgw.bench.policy.DecisionBenchmark' -rf text -rff bench/policy/last-run.txt "$@"
