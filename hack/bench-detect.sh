#!/usr/bin/env bash
# Prints the detector's costs on this machine (needs root): open+close overhead per loadable tier as ratios,
# a 10 s flood on one token (opens/s, events delivered, counter exactness, agent CPU), and access -> JSON line
# latency p50/p99. Optional argument: comma-separated tiers (default: all; refused ones are reported).
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::install_build_deps
beesting::java_home

beesting::bench node-agent dev.beesting.agent.bench.DetectBench "$@"
