# shellcheck shell=bash
# containerd configurations with NRI enabled that keep every file, socket and mount under one directory
# (network namespaces of CRI pods included). Arguments: DIR, sandbox IMAGE, and the NRI socket path (default
# DIR/nri-socket/nri.sock: a folder of its own, like a node's /var/run/nri, that can be mounted into the agent).

# 1.7: config format version 2.
beesting::containerd_config_v2() {
    local dir=$1 image=$2 nri_socket=${3:-$1/nri-socket/nri.sock}
    cat <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"

[grpc]
  address = "$dir/containerd.sock"

[ttrpc]
  address = "$dir/containerd-ttrpc.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$image"
  netns_mounts_under_state_dir = true
  restrict_oom_score_adj = true
  enable_cdi = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$dir/cni/bin"
    conf_dir = "$dir/cni/conf"

[plugins."io.containerd.nri.v1.nri"]
  disable = false
  socket_path = "$nri_socket"
  plugin_path = "$dir/nri/plugins"
  plugin_config_path = "$dir/nri/conf.d"
  plugin_registration_timeout = "5s"
  plugin_request_timeout = "2s"
TOML
}

# 2.x: config format version 3.
beesting::containerd_config_v3() {
    local dir=$1 image=$2 nri_socket=${3:-$1/nri-socket/nri.sock}
    cat <<TOML
version = 3
root = "$dir/root"
state = "$dir/state"
temp = "$dir/tmp"

[grpc]
  address = "$dir/containerd.sock"

[ttrpc]
  address = "$dir/containerd-ttrpc.sock"

[plugins.'io.containerd.internal.v1.opt']
  path = "$dir/opt"

[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"

[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$image"

[plugins.'io.containerd.cri.v1.runtime']
  netns_mounts_under_state_dir = true
  restrict_oom_score_adj = true
  enable_cdi = false
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["$dir/cni/bin"]
    conf_dir = "$dir/cni/conf"

[plugins.'io.containerd.nri.v1.nri']
  disable = false
  socket_path = "$nri_socket"
  plugin_path = "$dir/nri/plugins"
  plugin_config_path = "$dir/nri/conf.d"
  plugin_registration_timeout = "5s"
  plugin_request_timeout = "2s"
TOML
}
