#!/usr/bin/env bash
# The inventory benchmark (README, "Benchmark"): builds the service and what it needs, then runs
# io.maestro.inventory.bench.InventoryBenchmark against the packaged service on a fresh local stack.
# Arguments go to the program: [entities, default 100000] [events timed committed -> Kafka consumer, default 2500]
#   or: trace [connections, default 1000000]   the connection trace through patch panels at that many connections
#   or: import [rows, default 10000]            bulk import of that many CSV rows, its export and its re-import
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" inventory-service io.maestro.inventory.bench.InventoryBenchmark "$@"
