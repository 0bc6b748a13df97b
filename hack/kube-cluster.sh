#!/usr/bin/env bash
# Brings a real single-node Kubernetes cluster up and down on this machine, for the end-to-end tests: containerd
# with NRI (hack/containerd.sh), etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
# kube-proxy from the binaries hack/kube-build.sh builds (hack/lib/kube.sh says where), a CNI bridge, and
# certificates made with openssl. Everything it writes stays under DIR, except what Kubernetes cannot be told to
# put elsewhere (the /var/run/nri bind mount the agent DaemonSet needs, iptables chains, a few host folders,
# sysctls): `up` records what was there before and `down` puts it back.
#
#   hack/kube-cluster.sh up DIR [1.7|2]   start (containerd 2 by default), wait until the node is Ready and the
#                                         namespace default can run pods, print KEY=VALUE lines
#   hack/kube-cluster.sh env DIR          print the KEY=VALUE lines again
#   hack/kube-cluster.sh down DIR         remove every pod through the kubelet, stop everything, clean up,
#                                         delete DIR; safe to repeat
#
# Servers listen on loopback, except the API server and the kubelet: they bind the node's own address (eth0, or
# BEESTING_NODE_IP), because pods reach the API server through the kubernetes Service, and kube-proxy's DNAT to
# a loopback address does not work. No traffic leaves the machine. Needs root.
set -euo pipefail
HACK_DIR="$(cd "$(dirname "$0")" && pwd)"
source "$HACK_DIR/lib/env.sh"
source "$HACK_DIR/lib/kube.sh"

# nftables: `down` deletes the iptables-nft tables the cluster created, which iptables itself cannot
CLUSTER_PACKAGES=(containernetworking-plugins iptables conntrack openssl nftables)
SERVICE_CIDR=10.96.0.0/12
SERVICE_IP=10.96.0.1
POD_CIDR=10.244.0.0/24
CNI_BRIDGE=beesting0
CNI_PLUGINS=/usr/lib/cni
NRI_HOST_DIR=/var/run/nri
API_PORT=6443
# host folders the kubelet, kube-apiserver, containerd's CNI code or the agent DaemonSet's hostPath volumes create
# whatever their configuration says; removed by `down` when `up` did not find them
HOST_DIRS=(/var/lib/kubelet /var/log/containers /var/log/pods /var/lib/cni /run/netns /var/run/kubernetes
    /var/lib/beesting "$NRI_HOST_DIR")
# kernel settings the cluster changes: ip_forward here, the rest the kubelet (protectKernelDefaults false) and
# kube-proxy; restored by `down`
SYSCTLS=(net.ipv4.ip_forward net.ipv4.conf.all.route_localnet vm.overcommit_memory vm.panic_on_oom kernel.panic
    kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.netfilter.nf_conntrack_max
    net.netfilter.nf_conntrack_tcp_timeout_established net.netfilter.nf_conntrack_tcp_timeout_close_wait
    net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables)
# cgroup folders the kubelet creates (cgroupfs driver) in every hierarchy
CGROUP_ROOT=kubepods
# the order `up` starts the processes; `down` stops them in reverse
PROCESSES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

log() {
    echo "hack: $*" >&2
}

die() {
    log "$*"
    exit 1
}

# Runs CMD... until it succeeds, at most TIMEOUT seconds; on failure prints WHAT and the tail of LOG.
wait_for() {
    local what=$1 timeout=$2 log_file=$3
    shift 3
    local deadline=$((SECONDS + timeout))
    until "$@" >/dev/null 2>&1; do
        if ((SECONDS >= deadline)); then
            log "timed out after ${timeout}s waiting for $what"
            [[ -f "$log_file" ]] && tail -20 "$log_file" >&2
            return 1
        fi
        sleep 0.5
    done
}

node_ip() {
    if [[ -n "${BEESTING_NODE_IP:-}" ]]; then
        echo "$BEESTING_NODE_IP"
        return
    fi
    local ip
    ip=$(ip -4 -o addr show dev eth0 scope global 2>/dev/null | awk '{split($4, a, "/"); print a[1]; exit}')
    [[ -n "$ip" ]] || die "no IPv4 address on eth0; set BEESTING_NODE_IP to an address of this machine"
    echo "$ip"
}

# --- certificates ----------------------------------------------------------------------------------------------

new_key() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
}

# Writes PKI/NAME.{key,crt} signed by the cluster CA: SUBJECT, extended key usage, optional subjectAltName.
new_cert() {
    local pki=$1 name=$2 subject=$3 usage=$4 san=${5:-}
    new_key "$pki/$name.key"
    openssl req -new -key "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>/dev/null
    {
        echo "basicConstraints = critical, CA:FALSE"
        echo "keyUsage = critical, digitalSignature, keyEncipherment"
        echo "extendedKeyUsage = $usage"
        [[ -z "$san" ]] || echo "subjectAltName = $san"
    } >"$pki/$name.ext"
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 30 \
        -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
    rm -f "$pki/$name.csr" "$pki/$name.ext"
}

# A kubeconfig for USER (its certificate PKI/USER.crt) talking to the API server at SERVER.
write_kubeconfig() {
    local pki=$1 user=$2 server=$3 out=$4
    cat >"$out" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: beesting-test
    cluster:
      server: $server
      certificate-authority-data: $(base64 -w0 "$pki/ca.crt")
users:
  - name: $user
    user:
      client-certificate-data: $(base64 -w0 "$pki/$user.crt")
      client-key-data: $(base64 -w0 "$pki/$user.key")
contexts:
  - name: beesting-test
    context:
      cluster: beesting-test
      user: $user
current-context: beesting-test
YAML
    chmod 600 "$out"
}

make_pki() {
    local dir=$1 ip=$2 node=$3
    local pki=$dir/pki
    mkdir -p "$pki"
    chmod 700 "$pki"
    new_key "$pki/ca.key"
    openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=beesting-test-ca" -days 30 -out "$pki/ca.crt" 2>/dev/null
    new_cert "$pki" apiserver "/CN=kube-apiserver" serverAuth \
        "IP:$ip, IP:$SERVICE_IP, IP:127.0.0.1, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, DNS:localhost"
    new_cert "$pki" apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" clientAuth
    new_cert "$pki" admin "/O=system:masters/CN=kubernetes-admin" clientAuth
    new_cert "$pki" kube-controller-manager "/CN=system:kube-controller-manager" clientAuth
    new_cert "$pki" kube-scheduler "/CN=system:kube-scheduler" clientAuth
    new_cert "$pki" kube-proxy "/CN=system:kube-proxy" clientAuth
    new_cert "$pki" kubelet "/O=system:nodes/CN=system:node:$node" clientAuth
    # service account tokens are signed with RSA, the algorithm every client verifies
    openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
    openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
    local user
    for user in admin kube-controller-manager kube-scheduler kube-proxy kubelet; do
        write_kubeconfig "$pki" "$user" "https://$ip:$API_PORT" "$dir/$user.kubeconfig"
    done
}

# --- host state --------------------------------------------------------------------------------------------------

# Records which host folders exist and the kernel settings, before anything changes them.
record_host_state() {
    local dir=$1 path name
    : >"$dir/host-state"
    for path in "${HOST_DIRS[@]}"; do
        [[ -e "$path" ]] || echo "absent-dir $path" >>"$dir/host-state"
    done
    for name in "${SYSCTLS[@]}"; do
        if [[ -e "/proc/sys/${name//.//}" ]]; then
            echo "sysctl $name $(cat "/proc/sys/${name//.//}")" >>"$dir/host-state"
        fi
    done
    local hierarchy
    for hierarchy in /sys/fs/cgroup/*/; do
        [[ -e "$hierarchy$CGROUP_ROOT" ]] || echo "absent-cgroup $hierarchy$CGROUP_ROOT" >>"$dir/host-state"
    done
    ip link show "$CNI_BRIDGE" >/dev/null 2>&1 || echo "absent-link $CNI_BRIDGE" >>"$dir/host-state"
    local family table
    for family in ip ip6; do
        for table in filter nat mangle raw security; do
            nft list table "$family" "$table" >/dev/null 2>&1 || echo "absent-table $family $table" >>"$dir/host-state"
        done
    done
}

restore_host_state() {
    local dir=$1 kind what value
    [[ -f "$dir/host-state" ]] || return 0
    while read -r kind what value; do
        case "$kind" in
            absent-dir)
                if [[ -e "$what" ]] && ! mountpoint -q "$what"; then
                    # nothing below may still be mounted (a lazy unmount of a pod volume, a netns file)
                    unmount_below "$what"
                    rm -rf --one-file-system "$what"
                fi
                ;;
            absent-cgroup)
                if [[ -d "$what" ]]; then
                    # deepest first; a cgroup folder can only be removed once it is empty of processes
                    find "$what" -depth -type d -exec rmdir {} + 2>/dev/null || true
                    if [[ -d "$what" ]]; then log "cgroup $what still in use, left in place"; fi
                fi
                ;;
            absent-table)
                # an iptables-nft table the cluster's chains brought in; only when nothing else put rules there
                # (with -a every rule ends in "# handle N", and so do the table and chain lines)
                if nft list table "$what" "$value" >/dev/null 2>&1 \
                    && ! nft -a list table "$what" "$value" | grep -E '# handle [0-9]+$' \
                        | grep -qvE '^\s*(table|chain) '; then
                    nft delete table "$what" "$value"
                fi
                ;;
            absent-link) ip link delete "$what" 2>/dev/null || true ;;
            sysctl)
                local path="/proc/sys/${what//.//}"
                if [[ -e "$path" && "$(cat "$path")" != "$value" ]]; then
                    echo "$value" >"$path" || log "could not restore $what to $value"
                fi
                ;;
        esac
    done <"$dir/host-state"
}

# Unmounts everything mounted at or below PATH, deepest first.
unmount_below() {
    local path=$1 mnt
    while IFS= read -r mnt; do
        umount -l "$mnt" 2>/dev/null || true
    done < <(awk -v d="$path" '$2 == d || index($2, d "/") == 1 {print $2}' /proc/self/mounts | sort -r)
}

# Deletes every iptables chain named KUBE-* or CNI-* (and the rules that jump to them) in both families.
delete_chains() {
    local family table chain rule
    for family in iptables ip6tables; do
        command -v "$family-save" >/dev/null || continue
        for table in $("$family-save" 2>/dev/null | sed -n 's/^\*//p'); do
            # rules in other chains that jump to ours
            while IFS= read -r rule; do
                eval "$family -w -t $table -D ${rule#-A }" 2>/dev/null || true
            done < <("$family-save" -t "$table" | grep -E '^-A ' | grep -Ev '^-A (KUBE-|CNI-)' \
                | grep -E -- '-[jg] (KUBE-|CNI-)' || true)
            local chains
            chains=$("$family-save" -t "$table" | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p')
            for chain in $chains; do
                "$family" -w -t "$table" -F "$chain" 2>/dev/null || true
            done
            for chain in $chains; do
                "$family" -w -t "$table" -X "$chain" 2>/dev/null || log "could not delete $family $table $chain"
            done
        done
    done
}

# --- processes ---------------------------------------------------------------------------------------------------

# Starts NAME (a binary of the Kubernetes folder, ARGS...) in its own session, logging to DIR/logs/NAME.log.
launch() {
    local dir=$1 name=$2
    shift 2
    setsid "$(beesting::kube_bin_dir)/$name" "$@" >>"$dir/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$dir/pids/$name"
}

# True when the recorded PID of NAME is still that process (its command line names DIR).
running() {
    local dir=$1 name=$2 pid
    pid=$(cat "$dir/pids/$name" 2>/dev/null) || return 1
    [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$dir/"
}

# Stops NAME by its recorded PID: TERM, then KILL after 10 s.
terminate() {
    local dir=$1 name=$2 pid
    if running "$dir" "$name"; then
        pid=$(cat "$dir/pids/$name")
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/pids/$name"
}

kubectl_of() {
    local dir=$1
    shift
    "$(beesting::kube_bin_dir)/kubectl" --kubeconfig "$dir/admin.kubeconfig" "$@"
}

# --- configuration files -----------------------------------------------------------------------------------------

write_cni_config() {
    local dir=$1 cni=$2
    local plugin
    for plugin in "$CNI_PLUGINS"/*; do
        ln -sf "$plugin" "$cni/bin/"
    done
    # no masquerading: pods talk only to this machine (the API server through its Service, the agent's metrics)
    cat >"$cni/conf/10-beesting.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "beesting",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$dir/cni-ipam",
        "ranges": [[{ "subnet": "$POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    }
  ]
}
JSON
}

write_kubelet_config() {
    local dir=$1 ip=$2
    cat >"$dir/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$dir/containerd/containerd.sock
# no systemd here (PID 1 is not systemd), and the machine has cgroup v1 controllers next to v2
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
# a test cluster: the API server execs and reads logs without a client certificate
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
  x509:
    clientCAFile: $dir/pki/ca.crt
authorization:
  mode: AlwaysAllow
address: $ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
podLogsDir: $dir/pod-logs
# imported images cannot be pulled again: never collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
# the machine is shared with builds: do not evict the test pods for another process's disk or memory use
evictionHard:
  memory.available: 50Mi
  nodefs.available: 1%
  nodefs.inodesFree: 1%
  imagefs.available: 1%
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
YAML
}

write_proxy_config() {
    local dir=$1 node=$2
    cat >"$dir/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection:
  kubeconfig: $dir/kube-proxy.kubeconfig
hostnameOverride: $node
clusterCIDR: $POD_CIDR
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# 0: leave the kernel's conntrack settings as they are (no CAP_SYS_RESOURCE here, and nothing to restore)
conntrack:
  maxPerCore: 0
  min: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
# node ports on 127.0.0.1 need route_localnet=1; the tests use none
iptables:
  localhostNodePorts: false
YAML
}

# --- up ----------------------------------------------------------------------------------------------------------

# containerd with the CNI bridge, its NRI socket's folder bind-mounted at /var/run/nri.
start_containerd() {
    local dir=$1 version=$2
    echo 1 >/proc/sys/net/ipv4/ip_forward
    mkdir -p "$dir/containerd/cni/bin" "$dir/containerd/cni/conf" "$dir/nri"
    write_cni_config "$dir" "$dir/containerd/cni"
    "$HACK_DIR/containerd.sh" start "$version" "$dir/containerd" "$dir/nri/nri.sock" >"$dir/containerd.env"
    # the agent DaemonSet mounts the runtime's NRI socket from /var/run/nri: make that the socket's folder (a
    # mount of the folder, not of the socket file, stays valid when containerd recreates the socket)
    mkdir -p "$NRI_HOST_DIR"
    mount --bind "$dir/nri" "$NRI_HOST_DIR"
    echo "mount $NRI_HOST_DIR" >>"$dir/host-state"
}

# etcd, kube-apiserver, kube-controller-manager, kube-scheduler; returns once the API server is ready.
start_control_plane() {
    local dir=$1 ip=$2
    launch "$dir" etcd --name=beesting-test --data-dir="$dir/etcd" \
        --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 \
        --listen-peer-urls=http://127.0.0.1:2380 --initial-advertise-peer-urls=http://127.0.0.1:2380 \
        --initial-cluster=beesting-test=http://127.0.0.1:2380 --log-level=warn
    launch "$dir" kube-apiserver --etcd-servers=http://127.0.0.1:2379 \
        --advertise-address="$ip" --bind-address="$ip" --secure-port="$API_PORT" --cert-dir="$dir/apiserver" \
        --tls-cert-file="$dir/pki/apiserver.crt" --tls-private-key-file="$dir/pki/apiserver.key" \
        --client-ca-file="$dir/pki/ca.crt" \
        --kubelet-client-certificate="$dir/pki/apiserver-kubelet-client.crt" \
        --kubelet-client-key="$dir/pki/apiserver-kubelet-client.key" \
        --kubelet-preferred-address-types=InternalIP,Hostname \
        --service-account-issuer=https://kubernetes.default.svc.cluster.local \
        --service-account-key-file="$dir/pki/sa.pub" --service-account-signing-key-file="$dir/pki/sa.key" \
        --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC \
        --enable-admission-plugins=NodeRestriction --allow-privileged=true --profiling=false
    wait_for "kube-apiserver" 120 "$dir/logs/kube-apiserver.log" kubectl_of "$dir" get --raw /readyz
    launch "$dir" kube-controller-manager --kubeconfig="$dir/kube-controller-manager.kubeconfig" \
        --authentication-kubeconfig="$dir/kube-controller-manager.kubeconfig" \
        --authorization-kubeconfig="$dir/kube-controller-manager.kubeconfig" \
        --bind-address=127.0.0.1 --cert-dir="$dir/kube-controller-manager" --leader-elect=false \
        --service-account-private-key-file="$dir/pki/sa.key" --root-ca-file="$dir/pki/ca.crt" \
        --use-service-account-credentials=true --service-cluster-ip-range="$SERVICE_CIDR" \
        --cluster-signing-cert-file="$dir/pki/ca.crt" --cluster-signing-key-file="$dir/pki/ca.key" \
        --flex-volume-plugin-dir="$dir/flexvolume" --profiling=false
    launch "$dir" kube-scheduler --kubeconfig="$dir/kube-scheduler.kubeconfig" \
        --authentication-kubeconfig="$dir/kube-scheduler.kubeconfig" \
        --authorization-kubeconfig="$dir/kube-scheduler.kubeconfig" \
        --bind-address=127.0.0.1 --cert-dir="$dir/kube-scheduler" --leader-elect=false --profiling=false
}

# kubelet and kube-proxy; returns once the node is Ready and the namespace default can run pods.
start_node() {
    local dir=$1 ip=$2 node=$3
    write_kubelet_config "$dir" "$ip"
    launch "$dir" kubelet --config="$dir/kubelet.yaml" --kubeconfig="$dir/kubelet.kubeconfig" \
        --root-dir="$dir/kubelet" --cert-dir="$dir/kubelet/pki" --node-ip="$ip" --hostname-override="$node"
    write_proxy_config "$dir" "$node"
    launch "$dir" kube-proxy --config="$dir/kube-proxy.yaml"
    wait_for "node $node Ready" 180 "$dir/logs/kubelet.log" \
        kubectl_of "$dir" wait --for=condition=Ready "node/$node" --timeout=5s
    # pods are refused until the namespace's ServiceAccount and root CA exist
    wait_for "ServiceAccount default/default" 120 "$dir/logs/kube-controller-manager.log" \
        kubectl_of "$dir" -n default get serviceaccount default
    wait_for "ConfigMap default/kube-root-ca.crt" 120 "$dir/logs/kube-controller-manager.log" \
        kubectl_of "$dir" -n default get configmap kube-root-ca.crt
}

write_env() {
    local dir=$1 ip=$2 node=$3
    echo "KUBECONFIG=$dir/admin.kubeconfig"
    echo "KUBECTL=$(beesting::kube_bin_dir)/kubectl"
    echo "KUBE_VERSION=v$BEESTING_KUBE_VERSION"
    echo "API_SERVER=https://$ip:$API_PORT"
    echo "NODE_NAME=$node"
    echo "NODE_IP=$ip"
    grep -v '^NRI_SOCKET=' "$dir/containerd.env"
    echo "NRI_SOCKET=$NRI_HOST_DIR/nri.sock"
    echo "CTR=$(cat "$dir/containerd/bin-dir")/ctr"
    echo "CLUSTER_LOGS=$dir/logs"
}

check_free() {
    local what=$1 port=$2
    if ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then
        die "port $port ($what) is in use: another cluster running? (hack/kube-cluster.sh down DIR)"
    fi
}

up() {
    local dir=$1 version=${2:-2}
    [[ $(id -u) -eq 0 ]] || die "a cluster needs root"
    beesting::have_kube_node || die "Kubernetes binaries missing in $(beesting::kube_bin_dir) (hack/kube-build.sh)"
    beesting::apt_install "${CLUSTER_PACKAGES[@]}"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [[ ! -f "$dir/host-state" ]] || die "$dir holds a cluster already: hack/kube-cluster.sh down $dir first"
    mountpoint -q "$NRI_HOST_DIR" && die "$NRI_HOST_DIR is a mount already: another cluster running?"
    check_free etcd 2379
    check_free etcd-peer 2380
    check_free kube-apiserver "$API_PORT"
    check_free kubelet 10250
    check_free kube-controller-manager 10257
    check_free kube-scheduler 10259
    local started=$SECONDS ip node
    ip=$(node_ip)
    node=$(hostname | tr '[:upper:]' '[:lower:]')
    mkdir -p "$dir/logs" "$dir/pids" "$dir/pod-logs" "$dir/cni-ipam" "$dir/kubelet"
    # from here on `down` undoes whatever happened
    trap 'log "cluster did not come up; hack/kube-cluster.sh down $dir cleans up"' ERR
    record_host_state "$dir"
    make_pki "$dir" "$ip" "$node"
    log "certificates in $((SECONDS - started)) s"
    start_containerd "$dir" "$version"
    log "containerd $version in $((SECONDS - started)) s"
    start_control_plane "$dir" "$ip"
    log "control plane in $((SECONDS - started)) s"
    start_node "$dir" "$ip" "$node"
    local name
    for name in "${PROCESSES[@]}"; do
        running "$dir" "$name" || die "$name exited, see $dir/logs/$name.log"
    done
    write_env "$dir" "$ip" "$node" >"$dir/cluster.env"
    log "cluster up in $((SECONDS - started)) s (node $node Ready, namespace default ready for pods)"
    cat "$dir/cluster.env"
}

# --- down --------------------------------------------------------------------------------------------------------

# Deletes every pod through the API and waits until the kubelet has stopped them through CRI: no pod object is
# left, no container runs, and the CNI teardown released every pod address. (The kubelet removes the stopped
# sandboxes only up to a minute later; containerd's data goes with DIR.)
remove_pods() {
    local dir=$1
    running "$dir" kube-apiserver && running "$dir" kubelet || return 0
    kubectl_of "$dir" get --raw /readyz >/dev/null 2>&1 || return 0
    # no controller may create replacements
    terminate "$dir" kube-controller-manager
    terminate "$dir" kube-scheduler
    kubectl_of "$dir" delete pods --all --all-namespaces --wait=false --grace-period=2 >/dev/null 2>&1 || true
    wait_for "the kubelet to stop every pod" 120 "$dir/logs/kubelet.log" pods_stopped "$dir" || true
}

pods_stopped() {
    local dir=$1
    [[ -z "$(kubectl_of "$dir" get pods --all-namespaces -o name)" ]] \
        && [[ -z "$("$(cat "$dir/containerd/bin-dir")/ctr" -a "$dir/containerd/containerd.sock" -n k8s.io tasks ls -q)" ]] \
        && ! find "$dir/cni-ipam" -type f -name '[0-9]*.[0-9]*' | grep -q .
}

down() {
    local dir=$1
    [[ -d "$dir" ]] || return 0
    dir=$(cd "$dir" && pwd)
    [[ $(id -u) -eq 0 ]] || die "needs root"
    if [[ ! -f "$dir/host-state" ]]; then
        # `up` records the host's state before it starts anything: nothing of a cluster here
        rm -rf --one-file-system "$dir"
        return 0
    fi
    local started=$SECONDS
    remove_pods "$dir"
    log "pods removed in $((SECONDS - started)) s"
    # the pods are gone: nothing depends on the order any more, stop them all at once
    local name
    for name in "${PROCESSES[@]}"; do
        terminate "$dir" "$name" &
    done
    wait
    # kube-proxy's own cleanup first (it knows its rules), then every chain it or the kubelet left
    if [[ -f "$dir/kube-proxy.yaml" ]]; then
        "$(beesting::kube_bin_dir)/kube-proxy" --config="$dir/kube-proxy.yaml" --cleanup >>"$dir/logs/kube-proxy.log" 2>&1 || true
    fi
    log "processes stopped in $((SECONDS - started)) s"
    if [[ -d "$dir/containerd" ]]; then "$HACK_DIR/containerd.sh" stop "$dir/containerd"; fi
    if mountpoint -q "$NRI_HOST_DIR" && grep -q "^mount $NRI_HOST_DIR\$" "$dir/host-state" 2>/dev/null; then
        umount -l "$NRI_HOST_DIR"
    fi
    unmount_below "$dir"
    delete_chains
    restore_host_state "$dir"
    rm -rf --one-file-system "$dir"
    log "cluster down in $((SECONDS - started)) s"
}

case "${1:-}" in
    up) up "$2" "${3:-2}" ;;
    env) cat "$2/cluster.env" ;;
    down) down "$2" ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
esac
