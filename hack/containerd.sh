#!/usr/bin/env bash
# Runs a real containerd with NRI enabled for the end-to-end tests, without installing it: the Debian package
# (1.7 from trixie, 2.x from sid) is downloaded once into .build/ and unpacked there; runc comes from this
# system. Everything containerd writes (root, state, sockets, mounts) stays under the given directory.
#
#   hack/containerd.sh start 1.7|2 DIR [NRI_SOCKET]
#                                        start, import the busybox test image, print KEY=VALUE lines; the NRI
#                                        socket is DIR/nri-socket/nri.sock (a folder of its own, as a node's
#                                        /var/run/nri, that a test can mount into the agent) or NRI_SOCKET
#   hack/containerd.sh restart DIR       stop containerd (containers keep running) and start it again
#   hack/containerd.sh import DIR TAR    import an image tar (OCI layout or docker save) for CRI, print its name
#   hack/containerd.sh stop DIR          kill leftover containers, stop containerd, unmount, delete DIR
#   hack/containerd.sh fetch 1.7|2       only download and unpack
set -euo pipefail
HACK_DIR="$(cd "$(dirname "$0")" && pwd)"
source "$HACK_DIR/lib/debs.sh"
source "$HACK_DIR/lib/busybox-image.sh"
source "$HACK_DIR/lib/containerd-config.sh"

suite_of() {
    case "$1" in
        1.7) echo trixie ;;
        2 | 2.x) echo sid ;;
        *) echo "hack: unknown containerd version $1 (1.7 or 2)" >&2; return 1 ;;
    esac
}

bin_dir() {
    echo "$(beesting::unpack_deb "$(suite_of "$1")" containerd)/usr/bin"
}

start() {
    local version=$1 dir=$2 nri_socket=${3:-}
    [[ $(id -u) -eq 0 ]] || { echo "hack: containerd needs root" >&2; return 1; }
    command -v runc >/dev/null || { echo "hack: runc missing (apt-get install runc)" >&2; return 1; }
    local bin
    bin=$(bin_dir "$version")
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    nri_socket=${nri_socket:-$dir/nri-socket/nri.sock}
    mkdir -p "$dir/cni/bin" "$dir/cni/conf" "$dir/nri/plugins" "$dir/nri/conf.d" "$dir/tmp" "$(dirname "$nri_socket")"
    if [[ "$version" == 1.7 ]]; then
        beesting::containerd_config_v2 "$dir" "$BEESTING_TEST_IMAGE" "$nri_socket" >"$dir/config.toml"
    else
        beesting::containerd_config_v3 "$dir" "$BEESTING_TEST_IMAGE" "$nri_socket" >"$dir/config.toml"
    fi
    echo "$bin" >"$dir/bin-dir"
    echo "$nri_socket" >"$dir/nri-socket-path"
    launch "$dir"
    local ctr=("$bin/ctr" -a "$dir/containerd.sock")
    local image="$BEESTING_BUILD_DIR/images/beesting-busybox.tar"
    beesting::busybox_image "$image"
    "${ctr[@]}" -n k8s.io images import "$image" >/dev/null
    echo "CONTAINERD_SOCKET=$dir/containerd.sock"
    echo "NRI_SOCKET=$nri_socket"
    echo "CONTAINERD_PID=$(cat "$dir/containerd.pid")"
    echo "CONTAINERD_VERSION=$("${ctr[@]}" version | awk '/Server:/ {s=1} s && /Version:/ {print $2; exit}')"
    echo "TEST_IMAGE=$BEESTING_TEST_IMAGE"
}

# Starts containerd of DIR in the background and waits until it answers.
launch() {
    local dir=$1 bin
    bin=$(cat "$dir/bin-dir")
    # a stale socket of an earlier run makes NRI fail to listen
    local nri_socket
    nri_socket=$(cat "$dir/nri-socket-path" 2>/dev/null || echo "$dir/nri-socket/nri.sock")
    rm -f "$nri_socket"
    PATH="$bin:$PATH" setsid "$bin/containerd" --config "$dir/config.toml" >>"$dir/containerd.log" 2>&1 </dev/null &
    echo $! >"$dir/containerd.pid"
    local tries=0
    until "$bin/ctr" -a "$dir/containerd.sock" version >/dev/null 2>&1; do
        if ((++tries > 100)) || ! kill -0 "$(cat "$dir/containerd.pid")" 2>/dev/null; then
            echo "hack: containerd did not come up, log:" >&2
            tail -20 "$dir/containerd.log" >&2
            return 1
        fi
        sleep 0.1
    done
}

# Stops the containerd process of DIR (TERM, then KILL after 10 s); shims and containers keep running.
terminate() {
    local dir=$1 pid
    [[ -f "$dir/containerd.pid" ]] || return 0
    pid=$(cat "$dir/containerd.pid")
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

restart() {
    local dir
    dir=$(cd "$1" && pwd)
    terminate "$dir"
    launch "$dir"
}

import_image() {
    local dir tar=$2 bin name
    dir=$(cd "$1" && pwd)
    bin=$(cat "$dir/bin-dir")
    local ctr=("$bin/ctr" -a "$dir/containerd.sock" -n k8s.io)
    # CRI sees only the k8s.io namespace
    "${ctr[@]}" images import "$tar" >/dev/null
    name=$(tar -xOf "$tar" index.json 2>/dev/null \
        | sed -n 's/.*"\(io.containerd.image.name\|org.opencontainers.image.ref.name\)":"\([^"]*\)".*/\2/p')
    if [[ -z "$name" ]]; then
        name=$(tar -xOf "$tar" manifest.json | sed -n 's/.*"RepoTags":\["\([^"]*\)".*/\1/p')
    fi
    [[ -n "$name" ]] || { echo "hack: no image name in $tar" >&2; return 1; }
    # a name without a registry means Docker Hub to a kubelet (beesting/x:1 is docker.io/beesting/x:1):
    # give the image that full name too, so a manifest's image field finds it through CRI
    if [[ "${name%%/*}" != *.* && "${name%%/*}" != *:* && "${name%%/*}" != localhost ]]; then
        local full=$name
        [[ "$full" == */* ]] || full="library/$full"
        "${ctr[@]}" images tag --force "$name" "docker.io/$full" >/dev/null
        name="docker.io/$full"
    fi
    echo "$name"
}

stop() {
    local dir=$1
    [[ -d "$dir" ]] || return 0
    dir=$(cd "$dir" && pwd)
    local bin
    bin=$(cat "$dir/bin-dir" 2>/dev/null || true)
    if [[ -f "$dir/containerd.pid" ]] && kill -0 "$(cat "$dir/containerd.pid")" 2>/dev/null; then
        if [[ -n "$bin" ]]; then
            # containers the tests left behind: CRI should have removed them, this is the safety net
            local ctr=("$bin/ctr" -a "$dir/containerd.sock" -n k8s.io) task
            for task in $("${ctr[@]}" tasks ls -q 2>/dev/null); do
                "${ctr[@]}" tasks kill -s KILL "$task" >/dev/null 2>&1 || true
                "${ctr[@]}" tasks delete -f "$task" >/dev/null 2>&1 || true
            done
        fi
        terminate "$dir"
    fi
    # shims that outlived containerd, found by the pid files containerd wrote for them
    local shim_pid_file
    while IFS= read -r shim_pid_file; do
        kill -KILL "$(cat "$shim_pid_file")" 2>/dev/null || true
    done < <(find "$dir/state" -name shim.pid 2>/dev/null)
    local mnt
    while IFS= read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$dir/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r)
    rm -rf "$dir"
}

case "${1:-}" in
    start) start "$2" "$3" "${4:-}" ;;
    restart) restart "$2" ;;
    import) import_image "$2" "$3" ;;
    stop) stop "$2" ;;
    fetch) bin_dir "$2" ;;
    *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
