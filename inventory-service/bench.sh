#!/usr/bin/env bash
# The inventory benchmark (README, "Benchmark"): builds the service and what it needs, then runs
# io.maestro.inventory.bench.InventoryBenchmark against the packaged service on a fresh local stack.
# Arguments go to the program: [entities, default 100000] [events timed committed -> Kafka consumer, default 2500]
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" inventory-service io.maestro.inventory.bench.InventoryBenchmark "$@"
