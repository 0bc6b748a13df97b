#!/usr/bin/env bash
# Proves hack/vmtest.sh on both kernels: in each guest an lsm/ program attaches and denies an open that
# fentry/ and kprobe/ programs also see, and the host's JDK 25 runs a class. Exit 0 only if all of it held.
set -euo pipefail
cd "$(dirname "$0")/.."
source hack/lib/env.sh
beesting::install_build_deps
beesting::java_home

src=hack/vmtest-smoke
built=$PWD/.build/vmtest/smoke
mkdir -p "$built"
clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I/usr/include/x86_64-linux-gnu \
    -c "$src/open_probes.bpf.c" -o "$built/open_probes.bpf.o"
clang -O2 -Wall "$src/open_probes.c" -lbpf -o "$built/open_probes"
"$JAVA_HOME/bin/javac" -d "$built" "$src/Hello.java"

exec hack/vmtest.sh "$@" -- bash "$src/guest.sh" "$built"
