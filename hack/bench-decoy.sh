#!/usr/bin/env bash
# Benchmark command: the decoy API server on loopback with alerts flowing to the in-process mock API server:
# requests per second with valid decoy credentials (each a 403 and a Use alert), answer latency, and the time from
# a first request to its HoneytokenAlert being readable. Args: seconds (10), client threads (4). Prints numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::java_home

beesting::bench operator dev.beesting.operator.bench.DecoyBench "$@"
