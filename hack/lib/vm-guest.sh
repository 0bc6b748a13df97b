#!/bin/bash
# PID 1 of a hack/vmtest.sh guest after switch_root: runs the host-written run.sh from the results share,
# leaves its exit code there for the host, and powers the VM off.
share=$1

echo "vmtest: command starting after $(cut -d' ' -f1 /proc/uptime) s"
bash "$share/run.sh" </dev/null
rc=$?
echo "$rc" >"$share/exit-code"
sync
echo "vmtest: command exited with $rc after $(cut -d' ' -f1 /proc/uptime) s"

# Power-off is asynchronous and PID 1 must outlive it: if PID 1 exits, the kernel panics instead.
echo o >/proc/sysrq-trigger
sleep 60
