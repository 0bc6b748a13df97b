# shellcheck shell=bash
# Helpers of hack/vmtest.sh: fetch a stock Debian kernel without installing it, and build the tiny initramfs
# that boots it with the host's filesystem shared over 9p.

# Debian release that ships each kernel series we test on.
declare -A BEESTING_VM_SUITES=([6.1]=bookworm [6.12]=trixie)

# The kernel modules the guest loads at boot: 9p over virtio and overlayfs to mount its root, and fuse for the
# tests that serve a filesystem through /dev/fuse (Debian's 6.1 builds it as a module, 6.12 into the kernel).
# Whatever they depend on is found from the modules themselves; those built into a kernel are simply absent.
BEESTING_VM_ROOT_MODULES=(virtio_pci 9pnet_virtio 9p overlay fuse)

beesting::vm_log() {
    echo "vmtest: $*" >&2
}

# Runs apt-get/apt-cache against a private state for one Debian suite, so the host's own apt state and
# sources stay untouched. The sources are the host's, with its codename swapped for the target suite.
beesting::vm_apt() {
    local suite=$1 tool=$2
    shift 2
    local dir=$BEESTING_VM_CACHE/apt/$suite
    "$tool" -q \
        -o Dir::Etc::SourceList=/dev/null \
        -o Dir::Etc::SourceParts="$dir/sources.list.d" \
        -o Dir::Etc::PreferencesParts="$dir/preferences.d" \
        -o Dir::State="$dir/state" \
        -o Dir::State::status="$dir/status" \
        -o Dir::Cache="$dir/cache" \
        -o APT::Sandbox::User=root \
        "$@"
}

beesting::vm_apt_prepare() {
    local suite=$1
    local dir=$BEESTING_VM_CACHE/apt/$suite host_codename
    local system_sources=/etc/apt/sources.list.d/debian.sources
    host_codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    if [[ ! -r $system_sources || -z $host_codename ]]; then
        beesting::vm_log "need $system_sources and VERSION_CODENAME in /etc/os-release to derive apt sources"
        return 1
    fi
    mkdir -p "$dir/sources.list.d" "$dir/preferences.d" "$dir/state/lists/partial" "$dir/cache/archives/partial"
    : >"$dir/status"
    # bookworm -> trixie also turns bookworm-updates and bookworm-security into their trixie counterparts.
    sed -E "/^Suites:/ s/\<${host_codename}\>/${suite}/g" "$system_sources" | grep -v '^#' \
        >"$dir/sources.list.d/debian.sources"
    beesting::vm_apt "$suite" apt-get update -qq
}

# Prints the directory holding the unpacked kernel of a series (boot/vmlinuz-RELEASE and its modules),
# downloading the kernel that Debian's linux-image-amd64 currently points at on first use or with refresh=1.
beesting::vm_fetch_kernel() {
    local series=$1 refresh=${2:-0}
    local suite=${BEESTING_VM_SUITES[$series]:-}
    if [[ -z $suite ]]; then
        beesting::vm_log "unknown kernel series $series (known: ${!BEESTING_VM_SUITES[*]})"
        return 1
    fi
    local current=$BEESTING_VM_CACHE/kernels/$series
    if [[ $refresh == 0 && -d $current/boot ]]; then
        readlink -f "$current"
        return 0
    fi
    beesting::vm_apt_prepare "$suite"
    local package
    package=$(beesting::vm_apt "$suite" apt-cache depends linux-image-amd64 |
        sed -nE 's/^ *Depends: (linux-image-[0-9][^ ]*-amd64)$/\1/p' | head -n1)
    if [[ -z $package ]]; then
        beesting::vm_log "no linux-image-*-amd64 found behind linux-image-amd64 in $suite"
        return 1
    fi
    local unpacked=$BEESTING_VM_CACHE/kernels/${package#linux-image-}
    if [[ ! -d $unpacked/boot ]]; then
        beesting::vm_log "downloading $package from $suite"
        local download=$BEESTING_VM_CACHE/download
        rm -rf "$download" "$unpacked.tmp"
        mkdir -p "$download" "$unpacked.tmp"
        (cd "$download" && beesting::vm_apt "$suite" apt-get download -qq "$package")
        dpkg-deb -x "$download"/"$package"_*.deb "$unpacked.tmp"
        mv "$unpacked.tmp" "$unpacked"
        rm -rf "$download"
    fi
    ln -sfn "$(basename "$unpacked")" "$current"
    readlink -f "$current"
}

# Prints the kernel release (e.g. 6.1.0-37-amd64) of an unpacked kernel.
beesting::vm_kernel_release() {
    local vmlinuz
    vmlinuz=$(find "$1/boot" -maxdepth 1 -name 'vmlinuz-*' | head -n1)
    basename "${vmlinuz#*/vmlinuz-}"
}

# Finds a module file by name (dashes and underscores are the same to the kernel).
beesting::vm_module_file() {
    local moddir=$1 name=$2
    find "$moddir/kernel" \( -name "$name.ko*" -o -name "${name//_/-}.ko*" \) -print -quit
}

# Copies a module (decompressed: busybox insmod reads plain ELF) and, first, everything it depends on,
# appending each to the load order exactly once.
beesting::vm_add_module() {
    local moddir=$1 out=$2 name=${3//-/_}
    grep -qx "$name.ko" "$out/modules.order" 2>/dev/null && return 0
    local file
    file=$(beesting::vm_module_file "$moddir" "$name")
    [[ -n $file ]] || return 0 # built into this kernel
    case $file in
        *.ko.xz) xz -dc "$file" >"$out/$name.ko" ;;
        *.ko.zst) zstd -qdc "$file" >"$out/$name.ko" ;;
        *.ko.gz) gzip -dc "$file" >"$out/$name.ko" ;;
        *) cp "$file" "$out/$name.ko" ;;
    esac
    local deps dep
    # The .modinfo section holds NUL-separated key=value strings; depends= lists what must load first.
    deps=$(tr '\0' '\n' <"$out/$name.ko" | sed -n 's/^depends=//p')
    for dep in ${deps//,/ }; do
        beesting::vm_add_module "$moddir" "$out" "$dep"
    done
    echo "$name.ko" >>"$out/modules.order"
}

# Prints the path of the initramfs for an unpacked kernel, building it once: busybox-static, the root
# modules in load order, and the init script.
beesting::vm_initramfs() {
    local kernel=$1 release=$2
    local image=$kernel/beesting-initramfs.cpio.gz init=$BEESTING_VM_HACK/lib/vm-init.sh
    # keyed by the init script's content: file times say little after a fresh clone or a copied cache
    local key
    key=$( (cat "$init"; echo "${BEESTING_VM_ROOT_MODULES[*]}") | sha256sum | cut -d' ' -f1)
    if [[ -s $image && $(cat "$image.key" 2>/dev/null) == "$key" ]]; then
        echo "$image"
        return 0
    fi
    local moddir=$kernel/lib/modules/$release
    [[ -d $moddir ]] || moddir=$kernel/usr/lib/modules/$release
    if [[ ! -d $moddir ]]; then
        beesting::vm_log "no modules for $release under $kernel"
        return 1
    fi
    local root=$kernel/initramfs.tmp
    rm -rf "$root"
    mkdir -p "$root"/{bin,dev,proc,sys,modules,lower,rw,newroot}
    cp /bin/busybox "$root/bin/busybox"
    cp "$init" "$root/init"
    chmod 755 "$root/init"
    : >"$root/modules/modules.order"
    local module
    for module in "${BEESTING_VM_ROOT_MODULES[@]}"; do
        beesting::vm_add_module "$moddir" "$root/modules" "$module"
    done
    beesting::vm_log "initramfs for $release loads: $(tr '\n' ' ' <"$root/modules/modules.order")"
    (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$image.tmp"
    mv "$image.tmp" "$image"
    echo "$key" >"$image.key"
    rm -rf "$root"
    echo "$image"
}
