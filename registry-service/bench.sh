#!/usr/bin/env bash
# The registry benchmark (README, "Benchmark"): builds the service and what it needs, then runs
# io.maestro.registry.bench.RegistryBenchmark against the packaged service on a fresh local stack.
# Arguments go to the program: [latency rate/s, default 1000] [ramp from, 2000] [ramp to, 8000] [ramp step, 1000]
# [warm-up s, 90]
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" registry-service io.maestro.registry.bench.RegistryBenchmark "$@"
