#!/usr/bin/env bash
# Prepares the files an image built FROM scratch needs besides the application itself: a Java runtime cut down
# by jlink to the modules the jar uses, and the shared libraries of Debian 12 that this runtime (and, for the
# agent, libbpf) loads. Maven's `images` profile calls it before Jib adds the directory as an extra layer.
#
#   hack/image-root.sh JAR OUT_DIR EXTRA_MODULES DEB_PACKAGE...
#
# Runs offline once the .deb files are cached under .build/; downloads them with apt the first time, from the
# archive this system's apt configuration names.
set -euo pipefail
HACK_DIR="$(cd "$(dirname "$0")" && pwd)"
source "$HACK_DIR/lib/env.sh"
source "$HACK_DIR/lib/debs.sh"

# the images carry Debian 12's libraries whatever this machine runs: the runtime below is linked against them
IMAGE_SUITE=bookworm
# a fixed uid for the operator (runAsNonRoot), the same number distroless images use
NONROOT_ID=65532

main() {
    local jar=$1 out=$2 extra_modules=$3
    shift 3
    [[ -f "$jar" ]] || { echo "hack: $jar missing: build the module first" >&2; return 1; }
    beesting::java_home
    rm -rf "$out"
    mkdir -p "$out"
    link_runtime "$jar" "$out/opt/java" "$extra_modules"
    local pkg
    for pkg in "$@"; do
        copy_libraries "$(beesting::unpack_deb "$IMAGE_SUITE" "$pkg")" "$out"
    done
    flatten_symlinks "$out"
    write_users "$out/etc"
    # a writable /tmp is a mount (emptyDir) at run time; the folder must exist in a read-only root
    mkdir -p "$out/tmp"
}

# Modules jdeps reports that only optional code paths use: Jackson and SnakeYAML declare java.desktop
# `requires static` (java.beans introspection they do without), and it is a third of a runtime's size.
OPTIONAL_MODULES=java.desktop

# jlink a runtime holding the modules jdeps finds in JAR plus EXTRA (comma separated), with a CDS archive
# of its own classes: a runtime without one starts noticeably slower.
link_runtime() {
    local jar=$1 runtime=$2 extra=$3 modules
    modules=$("$JAVA_HOME/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 "$jar" \
        | tr ',' '\n' | grep -vxF "${OPTIONAL_MODULES//,/$'\n'}" | paste -sd,)
    [[ -n "$extra" ]] && modules="$modules,$extra"
    echo "hack: jlink modules=$modules" >&2
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
        --generate-cds-archive --output "$runtime" 2> >(grep -v '\[warning\]\[cds\]' >&2)
    # compressed oops are always on with the small heaps these images run, so this archive is never read
    rm -f "$runtime/lib/server/classes_nocoops.jsa"
}

# Copies the shared libraries of an unpacked package; documentation, executables and iconv modules stay out.
copy_libraries() {
    local root=$1 out=$2 dir
    for dir in lib lib64 usr/lib usr/lib64; do
        [[ -d "$root/$dir" ]] || continue
        mkdir -p "$out/$dir"
        cp -a "$root/$dir/." "$out/$dir/"
    done
    rm -rf "$out/usr/lib/x86_64-linux-gnu/gconv" "$out/usr/lib/x86_64-linux-gnu/audit"
}

# Replaces every symlink by a copy of what it points at inside OUT. Jib reads extra files through the build
# machine's filesystem, where an absolute link (/lib64/ld-linux-x86-64.so.2 -> /lib/...) would reach this
# machine's own libraries instead of the image's.
flatten_symlinks() {
    local out=$1 link target
    while IFS= read -r link; do
        target=$(readlink "$link")
        if [[ "$target" == /* ]]; then
            target="$out$target"
        else
            target="$(dirname "$link")/$target"
        fi
        if [[ -e "$target" ]]; then
            cp --remove-destination -L "$target" "$link"
        else
            rm -f "$link"
        fi
    done < <(find "$out" -type l)
}

# Names for uid 0 and the non-root uid, so the JVM's user.name and tools reading /etc/passwd see a user.
write_users() {
    local etc=$1
    mkdir -p "$etc"
    printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:%d:%d:nonroot:/tmp:/sbin/nologin\n' \
        "$NONROOT_ID" "$NONROOT_ID" >"$etc/passwd"
    printf 'root:x:0:\nnonroot:x:%d:\n' "$NONROOT_ID" >"$etc/group"
}

main "$@"
