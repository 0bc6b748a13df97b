#!/usr/bin/env bash
# Prints the NRI plugin's numbers: CreateContainer handling time (p50/p99 over 1000 requests through the plugin
# over a real unix socket) and pod start time on real containerd 1.7 and 2.x with and without the plugin.
# Needs root (containerd). Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh

beesting::install_build_deps
beesting::java_home

# the benchmark's lines on success; on failure Maven's whole output and a non-zero exit
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# -am: build proto/ in the same reactor instead of trusting a snapshot in the local repository
if ! ./mvnw -B -ntp -pl node-agent -am test -Dtest=NriBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn >"$log" 2>&1; then
    cat "$log"
    echo "hack: NriBenchmark failed" >&2
    exit 1
fi
grep -E '^BENCH|Tests run:' "$log"
