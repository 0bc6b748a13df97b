#!/usr/bin/env bash
# Runs every test of Beesting against the real parts: the running kernel (BPF, fanotify) and real containerd,
# then the detection tests the build machine's kernel refuses (lsm, fentry, kprobe) in qemu guests booting
# stock Debian 6.1 and 6.12 kernels (hack/vmtest-detect.sh). On a fresh Debian 12 machine it first installs
# what is missing (needs root), see README.md. BEESTING_SKIP_VM=1 leaves the guests out, except in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh

beesting::install_build_deps
beesting::java_home

./mvnw -B -ntp verify "$@"

if [[ ${BEESTING_SKIP_VM:-0} == 1 && ${CI:-} != true ]]; then
    echo "hack: BEESTING_SKIP_VM=1: not running the detection tests in qemu guests" >&2
    exit 0
fi
hack/vmtest-detect.sh
