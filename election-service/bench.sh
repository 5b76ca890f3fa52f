#!/usr/bin/env bash
# The election benchmark (README, "Benchmark"): builds the service and the client, then runs
# io.maestro.election.ElectionBenchmark against the packaged service on a fresh local stack.
# Options go to the program: [--runs N] [--ttls 1000,2000] [--concurrency N] [--heartbeat-seconds S]
#                             [--parts failover,resign,heartbeats]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q install -DskipTests -pl election-service -am
./mvnw -B -q -o -pl election-service dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/benchmark.classpath
cd election-service
java=java
[[ -n "${JAVA_HOME:-}" ]] && java="$JAVA_HOME/bin/java"
exec "$java" -cp "target/test-classes:target/classes:$(cat target/benchmark.classpath)" \
    io.maestro.election.ElectionBenchmark "$@"
