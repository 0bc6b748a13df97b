// SPDX-License-Identifier: GPL-2.0
// Smoke test of hack/vmtest.sh: the same check of an opened file's inode from each hook the kernel
// detector relies on, so a guest proves lsm/, fentry/ and kprobe/ programs load, attach and fire.
#include <linux/bpf.h>
#include <asm/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#define EPERM 1

// Only the fields read here; CO-RE relocates them against the guest kernel's BTF.
struct inode {
    unsigned long i_ino;
} __attribute__((preserve_access_index));

struct file {
    struct inode *f_inode;
} __attribute__((preserve_access_index));

// Slot 0: the inode to watch, written by the loader. Slots 1..3: hits of lsm, fentry, kprobe.
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} state SEC(".maps");

static int watched(struct file *file, __u32 slot) {
    __u32 key = 0;
    __u64 *target = bpf_map_lookup_elem(&state, &key);
    if (!target || *target == 0 || BPF_CORE_READ(file, f_inode, i_ino) != *target)
        return 0;
    __u64 *hits = bpf_map_lookup_elem(&state, &slot);
    if (hits)
        __sync_fetch_and_add(hits, 1);
    return 1;
}

SEC("lsm/file_open")
int BPF_PROG(lsm_file_open, struct file *file) {
    return watched(file, 1) ? -EPERM : 0;
}

SEC("fentry/security_file_open")
int BPF_PROG(fentry_file_open, struct file *file) {
    watched(file, 2);
    return 0;
}

SEC("kprobe/security_file_open")
int BPF_KPROBE(kprobe_file_open, struct file *file) {
    watched(file, 3);
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
