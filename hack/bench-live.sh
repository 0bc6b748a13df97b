#!/usr/bin/env bash
# Prints live planting numbers on real containerd (needs root): 100 pods run before the agent starts; the time from
# agent start to every one of their tokens armed, and from the policy's removal to every token deleted. All pods
# are removed afterwards. Optional arguments: containerd version (1.7 or 2, default 2) and container count.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::install_build_deps
beesting::java_home

beesting::bench node-agent dev.beesting.agent.node.LiveBenchmark \
    -Dbench.containerd="${1:-2}" -Dbench.containers="${2:-100}"
