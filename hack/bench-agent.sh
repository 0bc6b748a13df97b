#!/usr/bin/env bash
# Agent footprint: RSS and CPU of the agent process (the shaded jar, JVM flags as in the DaemonSet image)
# while idle with N armed tokens (default 200: 100 containers with 2 tokens each), then during a flood of
# opens of one token (opener loop, as fast as one process can). Needs root. Prints numbers; asserts nothing.
#
#   hack/bench-agent.sh [TOKENS] [SECONDS] [TIER]
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/bench.sh
beesting::install_build_deps
beesting::java_home
# driven from here rather than by a benchmark class: any failing step ends the script and says so
beesting::bench_guard agent

tokens=${1:-200} seconds=${2:-10} tier=${3:-}
beesting::bench_build node-agent agent package -DskipTests
opener=node-agent/target/test-tools/opener
[[ -x $opener ]] || beesting::bench_build node-agent agent test-compile

dir=$(mktemp -d /dev/shm/beesting-bench-agent.XXXXXX)
trap 'kill "$agent" 2>/dev/null; wait "$agent" 2>/dev/null; rm -rf "$dir"' EXIT
{
    echo "tokens:"
    for ((i = 0; i < tokens; i++)); do
        printf '  - path: %s/c%03d/.aws/credentials\n    content:\n      template: "{{awsAccessKeyId}}"\n' "$dir" "$i"
    done
} >"$dir/config.yaml"

# the agent image's JVM flags (node-agent/pom.xml, images profile) unless BEESTING_JVM_OPTS says otherwise
jvm_opts=${BEESTING_JVM_OPTS:--XX:+UseSerialGC -Xms16m -Xmx48m -XX:ReservedCodeCacheSize=16m -Xss512k -XX:TieredStopAtLevel=1 -XX:-UsePerfData}
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED $jvm_opts \
    -jar node-agent/target/beesting-agent.jar standalone --config "$dir/config.yaml" ${tier:+--tier "$tier"} \
    >"$dir/alerts.jsonl" 2>"$dir/agent.log" &
agent=$!
for _ in $(seq 600); do
    grep -q "watching" "$dir/agent.log" 2>/dev/null && break
    sleep 0.1
done
grep -q "watching" "$dir/agent.log" || { cat "$dir/agent.log"; beesting::bench_failed agent "the agent did not start"; }

ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$agent/stat"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$agent/status"; }

sleep 2
before=$(cpu)
sleep "$seconds"
idle_cpu=$(awk -v a="$before" -v b="$(cpu)" -v t="$ticks" -v s="$seconds" 'BEGIN {printf "%.2f", 100 * (b - a) / t / s}')
idle_rss=$(rss)

before=$(cpu)
opens=$("$opener" loop "$dir/c000/.aws/credentials" "$seconds")
flood_cpu=$(awk -v a="$before" -v b="$(cpu)" -v t="$ticks" -v s="$seconds" 'BEGIN {printf "%.2f", 100 * (b - a) / t / s}')
flood_rss=$(rss)
sleep 1
lines=$(wc -l <"$dir/alerts.jsonl")
tier_used=$(tail -1 "$dir/alerts.jsonl" | grep -o '"tier":"[a-z]*"' | cut -d'"' -f4)

echo "agent footprint, tier $tier_used, $tokens armed tokens (JVM: $jvm_opts)"
echo "  idle ${seconds}s:   RSS $((idle_rss / 1024)) MiB, CPU ${idle_cpu} % of a core"
echo "  flood ${seconds}s:  $((opens / seconds)) opens/s, RSS $((flood_rss / 1024)) MiB, CPU ${flood_cpu} % of a core"
echo "  alerts printed: $lines (rate limit 16/s per token and process; the kernel counter stays exact)"
