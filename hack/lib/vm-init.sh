#!/bin/busybox sh
# shellcheck shell=sh
# /init of the hack/vmtest.sh initramfs: load 9p and overlay, build the guest's root from the host's
# filesystem (shared read-only over 9p) under a tmpfs overlay, mount the writable results share at the
# same path as on the host, then hand over to guest.sh from that share.
/bin/busybox --install -s /bin
export PATH=/bin

# The kernel found no /dev/console in this initramfs, so init starts without stdio.
mount -t devtmpfs dev /dev
exec 0</dev/console 1>/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys
echo "vmtest: init up after $(cut -d' ' -f1 /proc/uptime) s"

fail() {
    echo "vmtest: init failed: $*"
    poweroff -f
}

for module in $(cat /modules/modules.order); do
    insmod "/modules/$module" || fail "insmod $module"
done

share=
keep=-
for arg in $(cat /proc/cmdline); do
    case $arg in
        vmtest.share=*) share=${arg#vmtest.share=} ;;
        vmtest.keep=*) keep=${arg#vmtest.keep=} ;;
    esac
done
[ -n "$share" ] || fail "no vmtest.share= on the kernel command line"

# A large msize and page-cache reads keep the JDK's start fast; the host side does not change during a run.
p9=trans=virtio,version=9p2000.L,msize=512000
mount -t 9p -o "$p9,ro,cache=loose" hostroot /lower || fail "mount host root over 9p"
mount -t tmpfs -o mode=755 overlay-rw /rw
mkdir /rw/upper /rw/overlay-work
# Without xino=on, file_open fires for the overlay inode and again for the real one with another device.
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/overlay-work,xino=on root /newroot ||
    fail "mount overlay root"

cd /newroot || fail "cd /newroot"
mount -t proc proc proc
mount -t sysfs sys sys
mount -t devtmpfs dev dev
mkdir -p dev/pts dev/shm
mount -t devpts devpts dev/pts
mount -t tmpfs -o mode=1777 shm dev/shm
mount -t securityfs securityfs sys/kernel/security || fail "mount securityfs"
mount -t bpf bpf sys/fs/bpf || fail "mount bpffs"
mount -t cgroup2 cgroup2 sys/fs/cgroup
mount -t tracefs tracefs sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs sys/kernel/debug 2>/dev/null
# Fresh tmpfs for scratch: the host's contents do not belong in the guest, and files there live on a
# real filesystem rather than the overlay.
# A checkout under /tmp (vmtest.keep) stays visible: held aside, then moved onto the fresh tmpfs.
if [ "$keep" != - ]; then
    mkdir -p /rw/keep
    mount -o bind "/newroot$keep" /rw/keep || fail "hold $keep"
fi
mount -t tmpfs -o mode=1777 tmp tmp
if [ "$keep" != - ]; then
    mkdir -p "/newroot$keep"
    mount -o move /rw/keep "/newroot$keep" || fail "carry $keep over"
fi
mount -t tmpfs -o mode=755 run run
mount -t 9p -o "$p9,cache=none" results "/newroot$share" || fail "mount results share at $share"
ip link set lo up
hostname localhost
cd /

umount /proc /sys
umount -l /dev
exec switch_root /newroot /bin/bash "$share/guest.sh" "$share"
