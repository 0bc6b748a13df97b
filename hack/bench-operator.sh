#!/usr/bin/env bash
# Benchmarks the operator's compilation: N policies against M namespaces (default 1000 5000), printing time and
# memory. Usage: hack/bench-operator.sh [policies] [namespaces] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::java_home

# a fixed heap like a pod limit: the numbers then say whether 512 MiB is enough
BEESTING_BENCH_JVM_OPTS=(-Xmx512m)
BEESTING_BENCH_PREFIX=(/usr/bin/time -f "wall=%es peakRSS=%MKiB")
beesting::bench operator dev.beesting.operator.bench.CompileBenchmark "$@"
