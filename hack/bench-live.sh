#!/usr/bin/env bash
# Prints live planting numbers on real containerd (needs root): 100 pods run before the agent starts; the time from
# agent start to every one of their tokens armed, and from the policy's removal to every token deleted. All pods
# are removed afterwards. Optional arguments: containerd version (1.7 or 2, default 2) and container count.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh

beesting::install_build_deps
beesting::java_home

version="${1:-2}"
count="${2:-100}"
# the benchmark's lines on success; on failure Maven's whole output and a non-zero exit
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -am: build proto/ in the same reactor instead of trusting a snapshot in the local repository
if ! ./mvnw -B -ntp -pl node-agent -am test -Dtest=LiveBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.containerd="$version" -Dbench.containers="$count" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn >"$log" 2>&1; then
    cat "$log"
    echo "hack: LiveBenchmark failed" >&2
    exit 1
fi
grep -E '^BENCH|Tests run:' "$log"
