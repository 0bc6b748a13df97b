#!/usr/bin/env bash
# Prints the NRI plugin's numbers: CreateContainer handling time (p50/p99 over 1000 requests through the plugin
# over a real unix socket) and pod start time on real containerd 1.7 and 2.x with and without the plugin.
# Needs root (containerd). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::install_build_deps
beesting::java_home

beesting::bench node-agent dev.beesting.agent.nri.plugin.NriBenchmark
