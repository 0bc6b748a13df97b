#!/usr/bin/env bash
# Benchmark command: access -> HoneytokenAlert visible in the API (p50/p99, target p99 <= 1 s) and the cost of
# publishing a flood to the alert writer, against the in-process fabric8 mock API server. Prints numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::java_home

beesting::bench node-agent dev.beesting.agent.kube.AlertLatencyBench "$@"
