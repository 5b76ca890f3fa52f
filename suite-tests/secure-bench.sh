#!/usr/bin/env bash
# What ./maestro up --secure costs (README, "Performance"): builds the suite, starts it plaintext and secured (start
# times), then prints p50/p99 of register -> Kafka consumer for both.
# Arguments go to the program: [rounds, default 5] [registrations per round and variant, default 40]
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" suite-tests io.maestro.suite.bench.SecureOverheadBenchmark "$@"
