#!/usr/bin/env bash
# Runs every test of Beesting against the real parts: the running kernel (BPF, fanotify) and real containerd,
# then the detection tests the build machine's kernel refuses (lsm, fentry, kprobe) in qemu guests booting
# stock Debian 6.1 and 6.12 kernels (hack/vmtest-detect.sh), and, where hack/kube-build.sh has built a real
# kube-apiserver, the Kubernetes-facing tests again against it (Maven profile kube-api-test) and the quick start
# on a real single-node cluster with containerd 2.x and 1.7 (hack/quickstart-test.sh). On a fresh Debian 12 machine it first installs
# what is missing (needs root), see README.md. BEESTING_SKIP_VM=1 leaves the guests out, except in CI.
# Ends with one line adding up every test report: "tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
source hack/lib/summary.sh
source hack/lib/kube.sh

beesting::install_build_deps
beesting::java_home

rc=0
# -Pimages: the agent and operator images are built in `package`, before the e2e module runs the agent image
./mvnw -B -ntp verify -Pimages "$@" || rc=$?

if ((rc == 0)); then
    if beesting::have_kube_api; then
        started=$(date +%s)
        # the same reactor without the images profile: the image tars of the first run stay in target/
        KUBE_API_TEST_DIR=$(beesting::kube_dir) ./mvnw -B -ntp verify -Pkube-api-test -pl crds,operator,e2e -am "$@" \
            || rc=$?
        echo "hack: the real-API-server tests took $(($(date +%s) - started)) s" >&2
    else
        echo "hack: no kube-apiserver under $(beesting::kube_dir) (hack/kube-build.sh builds one, see README):" \
            "the real-API-server tests did not run" >&2
    fi
fi

rm -rf .build/quickstart
if ((rc == 0)); then
    if beesting::have_kube_node; then
        # docs/quickstart.md, upgrade and uninstall, literally, on a real single-node cluster per containerd line
        for containerd in 2 1.7; do
            started=$(date +%s)
            hack/quickstart-test.sh "$containerd" || rc=$?
            echo "hack: the quick start on containerd $containerd took $(($(date +%s) - started)) s" >&2
        done
    else
        echo "hack: no kubelet and friends under $(beesting::kube_dir) (hack/kube-build.sh builds them, see README):" \
            "the quick start on a real cluster did not run" >&2
    fi
fi

if ((rc == 0)); then
    if [[ ${BEESTING_SKIP_VM:-0} == 1 && ${CI:-} != true ]]; then
        echo "hack: BEESTING_SKIP_VM=1: not running the detection tests in qemu guests" >&2
    else
        rm -rf .build/vmtest/detect/*/junit
        # in the guests lsm loads first, so automatic tier selection must end there
        hack/vmtest-detect.sh -Dbeesting.test.expectedTier=lsm || rc=$?
    fi
fi

beesting::summary ./*/target/surefire-reports ./*/target/surefire-reports-kube-api .build/quickstart .build/vmtest/detect
exit "$rc"
