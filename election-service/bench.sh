#!/usr/bin/env bash
# The election benchmark (README, "Benchmark"): builds the service and what it needs, then runs
# io.maestro.election.ElectionBenchmark against the packaged service on a fresh local stack.
# Options go to the program: [--runs N] [--ttls 1000,2000] [--concurrency N] [--heartbeat-seconds S]
#                             [--parts failover,resign,priority,heartbeats,events] [--events N] [--event-rate N]
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" --in-module election-service io.maestro.election.ElectionBenchmark "$@"
