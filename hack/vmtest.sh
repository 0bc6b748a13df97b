#!/usr/bin/env bash
# Runs a command as root inside a qemu VM booted with a stock Debian kernel, for the detection tiers this
# machine's own kernel refuses (lsm, fentry, kprobe). The guest sees the host's / read-only under a tmpfs
# overlay (writes there vanish) and starts the command in the caller's working directory; files written
# to $BEESTING_VM_RESULTS reach the host at the same path. Exits with the command's exit code.
#
#   hack/vmtest.sh [--kernel 6.1|6.12|all] [--timeout SECONDS] [--results DIR] [--env NAME]...
#                  [--smp N] [--refresh] -- COMMAND...
#
# Passed into the guest: CI, PATH, HOME, LANG, LC_ALL, TZ, JAVA_HOME, JAVA_TOOL_OPTIONS, MAVEN_OPTS,
# every BEESTING_* variable, and each --env NAME. The guest also gets BEESTING_VM=1,
# BEESTING_VM_KERNEL=<release> and BEESTING_VM_RESULTS. TCG only: KVM does not work on the build machines.
set -euo pipefail
shopt -s inherit_errexit
hack=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$hack")
source "$hack/lib/env.sh"
source "$hack/lib/vm.sh"

BEESTING_VM_HACK=$hack
BEESTING_VM_CACHE=$repo/.build/vmtest

usage() {
    sed -n '7,8p' "$0" | sed 's/^# *//' >&2
    exit 2
}

kernels=all timeout=300 results= smp=1 refresh=0
passed_env=(CI PATH HOME LANG LC_ALL TZ JAVA_HOME JAVA_TOOL_OPTIONS MAVEN_OPTS)
while (($#)); do
    case $1 in
        --kernel) kernels=$2 && shift 2 ;;
        --timeout) timeout=$2 && shift 2 ;;
        --results) results=$2 && shift 2 ;;
        --env) passed_env+=("$2") && shift 2 ;;
        --smp) smp=$2 && shift 2 ;;
        --refresh) refresh=1 && shift ;;
        --) shift && break ;;
        *) usage ;;
    esac
done
(($#)) || usage
[[ $kernels == all ]] && kernels="6.1 6.12"
results=$(mkdir -p "${results:-$BEESTING_VM_CACHE/results}" && cd "${results:-$BEESTING_VM_CACHE/results}" && pwd)

beesting::install_vm_deps

# Writes the script the guest runs: the passed environment, the caller's directory, the command.
write_run_script() {
    local share=$1 release=$2 name
    shift 2
    {
        for name in "${passed_env[@]}" $(compgen -e | grep '^BEESTING_' || true); do
            [[ -v $name ]] && printf 'export %s=%q\n' "$name" "${!name}"
        done
        printf 'export BEESTING_VM=1 BEESTING_VM_KERNEL=%q BEESTING_VM_RESULTS=%q\n' "$release" "$share"
        printf 'cd -- %q || exit 125\n' "$PWD"
        printf 'exec'
        printf ' %q' "$@"
        printf '\n'
    } >"$share/run.sh"
}

# Copies the guest's console to stdout and console.log, and notes when the command starts.
read_console() {
    local share=$1 line
    while IFS= read -r line; do
        line=${line%$'\r'}
        [[ $line == "vmtest: command starting"* ]] && echo "$EPOCHREALTIME" >"$share/.command-started"
        printf '%s\n' "$line"
        printf '%s\n' "$line" >>"$share/console.log"
    done
}

seconds_between() {
    awk -v from="$1" -v to="$2" 'BEGIN { printf "%.1f", to - from }'
}

qemu_pid_file=
stop_qemu() {
    if [[ -n $qemu_pid_file && -s $qemu_pid_file ]]; then
        kill "$(cat "$qemu_pid_file")" 2>/dev/null || true
    fi
}
trap stop_qemu EXIT
trap 'stop_qemu; exit 130' INT TERM

summary=()
overall=0
for series in $kernels; do
    kernel=$(beesting::vm_fetch_kernel "$series" "$refresh")
    release=$(beesting::vm_kernel_release "$kernel")
    initramfs=$(beesting::vm_initramfs "$kernel" "$release")

    share=$results/$series
    rm -rf "$share"
    mkdir -p "$share"
    # the guest gets a fresh /tmp; a checkout living under /tmp (as CI clones may) is carried over into it
    keep=-
    if [[ $PWD == /tmp/?* ]]; then
        keep=/tmp/$(cut -d/ -f3 <<<"$PWD")
    fi
    if [[ $share == *[,[:space:]]* || $PWD == *[[:space:]]* ]]; then
        beesting::vm_log "paths with commas or spaces cannot be shared with the guest: $share, $PWD"
        exit 2
    fi
    echo "$release" >"$share/kernel"
    cp "$hack/lib/vm-guest.sh" "$share/guest.sh"
    write_run_script "$share" "$release" "$@"
    qemu_pid_file=$share/.qemu.pid

    beesting::vm_log "booting $release, command: $*"
    started=$EPOCHREALTIME
    mkfifo "$share/.console"
    read_console "$share" <"$share/.console" &
    reader=$!
    timeout -k 10 "$timeout" qemu-system-x86_64 \
        -accel tcg,thread=multi -cpu max -machine q35 -smp "$smp" -m 2G \
        -nodefaults -display none -serial stdio -no-reboot -pidfile "$qemu_pid_file" \
        -kernel "$kernel/boot/vmlinuz-$release" -initrd "$initramfs" \
        -append "console=ttyS0 quiet panic=-1 lsm=lockdown,capability,bpf vmtest.share=$share vmtest.keep=$keep" \
        -virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
        -virtfs "local,path=$share,mount_tag=results,security_model=none,multidevs=remap" \
        </dev/null >"$share/.console" 2>&1 &
    qemu=$!
    qemu_rc=0
    wait "$qemu" || qemu_rc=$?
    wait "$reader" || true
    finished=$EPOCHREALTIME
    rm -f "$share/.console"

    if [[ -s $share/exit-code ]]; then
        rc=$(cat "$share/exit-code")
    elif ((qemu_rc == 124 || qemu_rc == 137)); then
        beesting::vm_log "$release: no result within $timeout s, qemu killed"
        rc=124
    else
        beesting::vm_log "$release: the guest reported no exit code (qemu exit $qemu_rc)"
        rc=125
    fi
    boot=-
    [[ -s $share/.command-started ]] && boot=$(seconds_between "$started" "$(cat "$share/.command-started")")
    total=$(seconds_between "$started" "$finished")
    echo "boot_to_command_s=$boot total_s=$total" >"$share/timing"
    summary+=("$(printf '%-22s exit %3s   boot-to-command %5s s   total %6s s   results %s' \
        "$release" "$rc" "$boot" "$total" "$share")")
    ((overall == 0)) && overall=$rc
done

for line in "${summary[@]}"; do
    beesting::vm_log "$line"
done
exit "$overall"
