#!/usr/bin/env bash
# Benchmark command: the decoy API server on loopback with alerts flowing to the in-process mock API server, or with
# --real-api to a real kube-apiserver + etcd on loopback (the binaries of hack/kube-build.sh): requests per second
# with valid decoy credentials (each a 403 and a Use alert), answer latency, and the time from a first request to its
# HoneytokenAlert being readable. Usage: hack/bench-decoy.sh [--real-api] [seconds (10)] [client threads (4)].
# Prints numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
source hack/lib/kube.sh
beesting::java_home

if [[ "${1:-}" == --real-api ]]; then
    shift
    beesting::have_kube_api || beesting::bench_failed DecoyBench \
        "no kube-apiserver, etcd and kubectl under $(beesting::kube_bin_dir): build them with hack/kube-build.sh"
    export KUBE_API_TEST_DIR
    KUBE_API_TEST_DIR=$(beesting::kube_dir)
    BEESTING_BENCH_JVM_OPTS=(-Dbeesting.kubeApi=real)
fi
beesting::bench operator dev.beesting.operator.bench.DecoyBench "$@"
