#!/usr/bin/env bash
# Builds a real Kubernetes control plane and node (v1.34 line) from source, for the tests that must meet a real
# API server: kube-apiserver, kubectl, and for the single-node cluster kubelet, kube-controller-manager,
# kube-scheduler and kube-proxy; etcd comes from Debian's etcd-server package. Nothing is installed and
# nothing lands in the repository: the Go toolchain and etcd are Debian trixie packages unpacked under
# .build/, the binaries go to a cache laid out the way fabric8's kube-api-test expects:
#
#   $BEESTING_KUBE_DIR/k8s/1.34.2-linux-amd64/{kube-apiserver,etcd,kubectl,kubelet,...}
#
#   hack/kube-build.sh SOURCE [COMPONENT...]
#
# SOURCE is either an unpacked Kubernetes tree (with vendor/) or a bare git copy of a repository that vendors
# one under deps/github.com/openshift/kubernetes (openshift/microshift); from a git copy the newest commit
# whose tree's .go-version is 1.24.x is taken. COMPONENTS default to all of the above. Takes about 4 minutes
# cold on 2 cores for kube-apiserver, seconds per component with a warm Go build cache.
set -euo pipefail
HACK_DIR="$(cd "$(dirname "$0")" && pwd)"
source "$HACK_DIR/lib/debs.sh"
source "$HACK_DIR/lib/kube.sh"

KUBE_VERSION=v1.34.2
VENDORED=deps/github.com/openshift/kubernetes
DEFAULT_COMPONENTS=(kube-apiserver kubectl kubelet kube-controller-manager kube-scheduler kube-proxy)

# A Go 1.24 toolchain from trixie's golang-1.24-go and golang-1.24-src, unpacked into one root.
go_root() {
    local root="$BEESTING_BUILD_DIR/root/trixie/golang-1.24"
    if [[ ! -x "$root/usr/lib/go-1.24/bin/go" ]]; then
        local pkg deb debs="$BEESTING_BUILD_DIR/debs/trixie"
        mkdir -p "$debs" "$root"
        for pkg in golang-1.24-go golang-1.24-src; do
            compgen -G "$debs/${pkg}_*.deb" >/dev/null \
                || (cd "$debs" && beesting::apt_suite trixie -qq download "$pkg" >&2)
            deb=$(ls -t "$debs/${pkg}"_*.deb | head -1)
            dpkg-deb -x "$deb" "$root"
        done
    fi
    echo "$root/usr/lib/go-1.24"
}

# Extracts the vendored tree of a bare git copy into DEST, leaving out blobs the snapshot lacks.
extract_tree() {
    local git_dir=$1 dest=$2 commit="" c
    for c in $(git --git-dir="$git_dir" log --format=%H -n 200 -- "$VENDORED/.go-version"); do
        if [[ $(git --git-dir="$git_dir" show "$c:$VENDORED/.go-version") == 1.24.* ]]; then
            commit=$c
            break
        fi
    done
    [[ -n "$commit" ]] || { echo "hack: no commit in $git_dir vendors Kubernetes with Go 1.24" >&2; return 1; }
    echo "hack: extracting $VENDORED at $commit" >&2
    local index
    index=$(mktemp)
    rm -f "$index"
    mkdir -p "$dest.tmp"
    GIT_INDEX_FILE=$index git --git-dir="$git_dir" read-tree "$commit:$VENDORED"
    # blobs a snapshot may lack (test data only); checkout-index would stop at them
    local missing
    missing=$(GIT_INDEX_FILE=$index git --git-dir="$git_dir" ls-files -s \
        | awk '{print $2, $4}' \
        | git --git-dir="$git_dir" cat-file --batch-check='%(objectname) %(objecttype) %(rest)' 2>/dev/null \
        | awk '$2 == "missing" {printf " %s", $1}' || true)
    local path
    for path in $(GIT_INDEX_FILE=$index git --git-dir="$git_dir" ls-files -s | awk -v m="$missing " \
        'index(m, " " $2 " ") {print $4}'); do
        GIT_INDEX_FILE=$index git --git-dir="$git_dir" update-index --force-remove "$path"
    done
    GIT_INDEX_FILE=$index git --git-dir="$git_dir" checkout-index -a --prefix="$dest.tmp/"
    rm -f "$index"
    echo "$commit" >"$dest.tmp/.beesting-source-commit"
    mv "$dest.tmp" "$dest"
}

main() {
    local source=${1:?usage: hack/kube-build.sh SOURCE [COMPONENT...]}
    shift
    local components=("$@")
    ((${#components[@]})) || components=("${DEFAULT_COMPONENTS[@]}")

    local tree=$source
    if [[ ! -d "$source/vendor" ]]; then
        git --git-dir="$source" rev-parse --git-dir >/dev/null 2>&1 \
            || { echo "hack: $source is neither a Kubernetes tree nor a git copy" >&2; return 1; }
        tree="$BEESTING_BUILD_DIR/kubernetes-src"
        [[ -d "$tree/vendor" ]] || extract_tree "$source" "$tree"
    fi

    local goroot out
    goroot=$(go_root)
    out=$(beesting::kube_bin_dir)
    mkdir -p "$out"
    local ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION"
    ldflags+=" -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=34"
    ldflags+=" -X k8s.io/component-base/version.gitTreeState=clean"
    local component
    for component in "${components[@]}"; do
        echo "hack: building $component $KUBE_VERSION" >&2
        (cd "$tree" && GOROOT=$goroot PATH="$goroot/bin:$PATH" GOFLAGS=-mod=vendor GOTOOLCHAIN=local CGO_ENABLED=0 \
            GOCACHE="$BEESTING_BUILD_DIR/go-cache" GOPATH="$BEESTING_BUILD_DIR/go-path" \
            go build -trimpath -ldflags "$ldflags" -o "$out/$component" "./cmd/$component")
    done

    local etcd
    etcd=$(beesting::unpack_deb trixie etcd-server)
    install -m 755 "$etcd/usr/bin/etcd" "$out/etcd"
    echo "KUBE_API_TEST_DIR=$(beesting::kube_dir)"
    ls "$out" >&2
}

main "$@"
