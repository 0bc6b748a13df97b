#!/usr/bin/env bash
# Benchmark command (issue #16): the real operator and NODES simulated agents (the agent's config watcher, node status
# writer and alert writer, one client and one node-bound ServiceAccount token each, all in one JVM; no NRI, no
# detector) against a real kube-apiserver + etcd on loopback. Prints one FLEET line per figure: config bytes a node
# receives per policy edit and per namespace relabel, edit -> every HoneytokenNode applied (p50/p99/max), steady
# request rates by verb and resource, an alert storm, operator heap and CPU, agent heap per node.
# Usage: hack/bench-fleet.sh NODES NAMESPACES POLICIES   (e.g. 100 500 10; the issue's size is 1000 5000 100)
# Tuning through BEESTING_FLEET_OPTS (JVM -D options), e.g. -Dbeesting.fleet.steadySeconds=60 -Dbeesting.fleet.edits=1;
# the agents' JVM heap through BEESTING_FLEET_HEAP (default 4g).
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
source hack/lib/kube.sh
beesting::java_home

if (($# != 3)); then
    echo "usage: hack/bench-fleet.sh NODES NAMESPACES POLICIES" >&2
    exit 2
fi
beesting::have_kube_api || beesting::bench_failed FleetBench \
    "no kube-apiserver, etcd and kubectl under $(beesting::kube_bin_dir): build them with hack/kube-build.sh"
export KUBE_API_TEST_DIR
KUBE_API_TEST_DIR=$(beesting::kube_dir)
# kubectl renders config/default's RBAC (kubectl kustomize)
PATH="$PATH:$(beesting::kube_bin_dir)"

read -r -a fleet_opts <<<"${BEESTING_FLEET_OPTS:-}"
BEESTING_BENCH_JVM_OPTS=(-Xmx"${BEESTING_FLEET_HEAP:-4g}" "${fleet_opts[@]}")
BEESTING_BENCH_PREFIX=(/usr/bin/time -f "FLEET bench JVM (agents, API server driver): wall %es, peak RSS %M KiB, CPU user %Us sys %Ss")
beesting::bench e2e dev.beesting.e2e.fleet.FleetBench "$@"
