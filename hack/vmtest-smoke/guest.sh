#!/usr/bin/env bash
# Runs inside a hack/vmtest.sh guest: BPF lsm/fentry/kprobe programs attach and see an open, then Java runs.
set -euo pipefail
built=$1
echo "smoke: active LSMs $(cat /sys/kernel/security/lsm)"
# The watched file lives on tmpfs: on the overlay root an open reaches the hooks with two different inodes.
echo bait >/tmp/smoke-token
"$built/open_probes" "$built/open_probes.bpf.o" /tmp/smoke-token
start=$(cut -d' ' -f1 /proc/uptime)
"$JAVA_HOME/bin/java" -cp "$built" Hello 0
echo "smoke: Java started, ran and exited in $(awk -v s="$start" '{ printf "%.1f", $1 - s }' /proc/uptime) s"
