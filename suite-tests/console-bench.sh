#!/usr/bin/env bash
# Whether the console stays usable at scale (README, "Performance"): builds the suite and the console, seeds 10,000
# entities and a service of 500 instances, and prints p50/p99 and size of each page.
# Arguments go to the program: [requests per page, default 30] [entities, default 10000] [instances, default 500]
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" suite-tests io.maestro.suite.bench.ConsoleScaleBenchmark "$@"
