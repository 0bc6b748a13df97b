#!/usr/bin/env bash
# Runs every test of Beesting against the real parts: the running kernel (BPF, fanotify) and real containerd.
# On a fresh Debian 12 machine it first installs what is missing (needs root), see README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh

beesting::install_build_deps
beesting::java_home

./mvnw -B -ntp verify "$@"
