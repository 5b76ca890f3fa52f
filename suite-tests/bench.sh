#!/usr/bin/env bash
# What access control costs a request (README, "Performance"): builds the suite, runs two copies of it on one
# local stack (access control on and off) and prints p50/p99 of a registry registration and an inventory query.
# Arguments go to the program: [rounds, default 10] [requests per round and variant, default 300]
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" suite-tests io.maestro.suite.bench.AuthOverheadBenchmark "$@"
