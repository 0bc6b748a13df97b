# shellcheck shell=bash
# Shared helpers of the hack/ scripts: toolchain discovery and package installs.

BEESTING_APT_PACKAGES=(clang llvm make libbpf-dev libbpf1 bpftool busybox-static runc)

# Only hack/vmtest.sh needs these: a qemu to boot stock Debian kernels (see hack/vmtest.sh).
BEESTING_VM_APT_PACKAGES=(qemu-system-x86)

# Installs the Debian packages the build and the tests need, once.
beesting::install_build_deps() {
    beesting::apt_install "${BEESTING_APT_PACKAGES[@]}"
    # the deployment tests build config/ with `kubectl kustomize`; any kubectl will do, Debian's is old but enough
    command -v kubectl >/dev/null || beesting::apt_install kubernetes-client
}

# Installs what hack/vmtest.sh needs on top of the build dependencies, once.
beesting::install_vm_deps() {
    beesting::apt_install "${BEESTING_APT_PACKAGES[@]}" "${BEESTING_VM_APT_PACKAGES[@]}"
}

# Installs the given Debian packages (without recommends) unless they are installed already.
beesting::apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if ((${#missing[@]})); then
        echo "hack: installing ${missing[*]}" >&2
        if [[ $(id -u) -ne 0 ]]; then
            echo "hack: need root to install ${missing[*]}" >&2
            return 1
        fi
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# Exports JAVA_HOME pointing at a JDK 25.
beesting::java_home() {
    local candidate
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64; do
        if [[ -n "$candidate" && -x "$candidate/bin/java" ]] \
            && "$candidate/bin/java" -version 2>&1 | grep -q 'version "25'; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    echo "hack: no JDK 25 found; set JAVA_HOME" >&2
    return 1
}
