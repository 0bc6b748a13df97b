# shellcheck shell=bash
# Where hack/kube-build.sh puts the Kubernetes binaries, and how the test scripts find them.

BEESTING_KUBE_VERSION=1.34.2

# The cache folder, outside the repository, in kube-api-test's layout (KUBE_API_TEST_DIR).
beesting::kube_dir() {
    echo "${BEESTING_KUBE_DIR:-/var/cache/beesting/kube}"
}

beesting::kube_bin_dir() {
    echo "$(beesting::kube_dir)/k8s/$BEESTING_KUBE_VERSION-linux-amd64"
}

# True when the binaries the real-API-server tests need are there.
beesting::have_kube_api() {
    local bin
    bin=$(beesting::kube_bin_dir)
    [[ -x "$bin/kube-apiserver" && -x "$bin/etcd" && -x "$bin/kubectl" ]]
}

# True when the binaries of a whole single-node cluster are there too.
beesting::have_kube_node() {
    local bin
    bin=$(beesting::kube_bin_dir)
    beesting::have_kube_api && [[ -x "$bin/kubelet" && -x "$bin/kube-controller-manager" \
        && -x "$bin/kube-scheduler" && -x "$bin/kube-proxy" ]]
}
