#!/usr/bin/env bash
# Runs every test of Beesting against the real parts: the running kernel (BPF, fanotify) and real containerd,
# then the detection tests the build machine's kernel refuses (lsm, fentry, kprobe) in qemu guests booting
# stock Debian 6.1 and 6.12 kernels (hack/vmtest-detect.sh). On a fresh Debian 12 machine it first installs
# what is missing (needs root), see README.md. BEESTING_SKIP_VM=1 leaves the guests out, except in CI.
# Ends with one line adding up every test report: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/summary.sh

beesting::install_build_deps
beesting::java_home

rc=0
# -Pimages: the agent and operator images are built in `package`, before the e2e module runs the agent image
./mvnw -B -ntp verify -Pimages "$@" || rc=$?

if ((rc == 0)); then
    if [[ ${BEESTING_SKIP_VM:-0} == 1 && ${CI:-} != true ]]; then
        echo "hack: BEESTING_SKIP_VM=1: not running the detection tests in qemu guests" >&2
    else
        rm -rf .build/vmtest/detect/*/junit
        # in the guests lsm loads first, so automatic tier selection must end there
        hack/vmtest-detect.sh -Dbeesting.test.expectedTier=lsm || rc=$?
    fi
fi

beesting::summary ./*/target/surefire-reports .build/vmtest/detect
exit "$rc"
