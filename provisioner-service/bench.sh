#!/usr/bin/env bash
# The provisioner benchmarks (README, "Benchmark"): builds the service and what it needs, then runs
#   local  io.maestro.provisioner.bench.LocalDriverBenchmark [nodes [forks [launch rounds [exec rounds]]]]: 10 local
#          nodes (by default) until all answer SSH, exec on all of them vs on 1
#   ec2    io.maestro.provisioner.bench.Ec2DriverBenchmark: 100 nodes in one group against the in-test EC2 double
set -euo pipefail
case "${1:-}" in
    local) main=io.maestro.provisioner.bench.LocalDriverBenchmark ;;
    ec2) main=io.maestro.provisioner.bench.Ec2DriverBenchmark ;;
    *) echo "usage: provisioner-service/bench.sh local|ec2" >&2; exit 2 ;;
esac
shift
exec "$(dirname "$0")/../local-stack/run-benchmark.sh" --in-module provisioner-service "$main" "$@"
