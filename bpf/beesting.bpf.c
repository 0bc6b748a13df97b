// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Beesting's kernel side: every entry point turns "a file was opened" into one lookup of the file's
 * (device, inode) in the armed-token map. A hit bumps the token's counter atomically (exact under any flood),
 * passes a per-(token, process) rate limit and the token's own budget and, if allowed, writes one event to the
 * ring buffer.
 * The agent loads only the programs of one tier per object (bpf_program__set_autoload).
 */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "beesting.h"

#define EPERM 1

#define FMODE_PATH 0x4000

/* bpf_ringbuf_query flag (enum in uapi linux/bpf.h, not in the trimmed header) */
#define RB_AVAIL_DATA 0
#define RING_SIZE (4 << 20)

/* x86_64 syscall numbers of the open family (the syscall tier's filter). */
#define NR_OPEN 2
#define NR_CREAT 85
#define NR_OPENAT 257
#define NR_OPEN_BY_HANDLE_AT 304
#define NR_OPENAT2 437

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, struct beesting_key);
	__type(value, struct beesting_token);
} tokens SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_SIZE); /* ~5000 events of 800 bytes */
} events SEC(".maps");

/* LRU: windows of processes long gone age out without the agent cleaning up. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct beesting_rate_key);
	__type(value, struct beesting_rate);
} rates SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct beesting_settings);
} settings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32); /* thread id of the learning agent thread */
	__type(value, struct beesting_learned);
} learn SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, BEESTING_STAT_MAX);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void stat_add(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &slot);
	if (v)
		__sync_fetch_and_add(v, n);
}

/* Records the key the hook computed for the learning thread; the last hit wins (on overlayfs the real inode). */
static __always_inline void learn_key(const struct beesting_key *key)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct beesting_learned *l = bpf_map_lookup_elem(&learn, &tid);
	if (!l)
		return;
	l->dev = key->dev;
	l->ino = key->ino;
	__sync_fetch_and_add(&l->hits, 1);
}

/* Returns whether this open may write an event, and how many were suppressed before it. */
static __always_inline bool rate_allows(const struct beesting_settings *s, __u64 token_id, __u32 tgid, __u64 now,
					__u64 *suppressed)
{
	*suppressed = 0;
	if (!s || s->burst == 0)
		return true;
	struct beesting_rate_key rk = { .token_id = token_id, .tgid = tgid, .pad = 0 };
	struct beesting_rate *r = bpf_map_lookup_elem(&rates, &rk);
	if (!r) {
		struct beesting_rate fresh = { .window_start_ns = now, .emitted = 0, .suppressed = 0 };
		bpf_map_update_elem(&rates, &rk, &fresh, BPF_NOEXIST);
		r = bpf_map_lookup_elem(&rates, &rk);
		if (!r)
			return true; /* never drop an event because the limiter itself failed */
	}
	/* Racy window reset: concurrent openers may each reset it once; the burst bound stays approximate,
	 * the token counter stays exact. */
	if (now - r->window_start_ns >= s->window_ns) {
		r->window_start_ns = now;
		r->emitted = 0;
	}
	if (__sync_fetch_and_add(&r->emitted, 1) >= s->burst) {
		__sync_fetch_and_add(&r->suppressed, 1);
		stat_add(BEESTING_STAT_RATE_LIMITED, 1);
		return false;
	}
	*suppressed = __sync_lock_test_and_set(&r->suppressed, 0);
	return true;
}

/*
 * The token's own budget, whatever the number of processes opening it: 500 processes each within their own limit
 * would otherwise fill the ring buffer every token shares and push out the one open of another token in another
 * container. While the ring buffer is more than half full, a token gets one event per window, so what is left is
 * shared by tokens, not by processes. Racy like rate_allows: the budget is approximate, the counter exact.
 */
static __always_inline bool token_allows(const struct beesting_settings *s, struct beesting_token *token, __u64 now)
{
	if (!s || s->token_burst == 0)
		return true;
	if (now - token->window_start_ns >= s->window_ns) {
		token->window_start_ns = now;
		token->emitted = 0;
	}
	__u64 budget = s->token_burst;
	if (bpf_ringbuf_query(&events, RB_AVAIL_DATA) > RING_SIZE / 2)
		budget = 1;
	if (__sync_fetch_and_add(&token->emitted, 1) >= budget) {
		__sync_fetch_and_add(&token->suppressed, 1);
		stat_add(BEESTING_STAT_RATE_LIMITED, 1);
		return false;
	}
	return true;
}

/*
 * Records who the opener is while it is still running: the executable's path as dentry names up to its
 * filesystem's root (leaf first, so no right-to-left copy is needed), and the head of its argv block.
 */
static __always_inline void capture_process(struct beesting_event *e)
{
	e->exe_len = 0;
	e->args_len = 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct mm_struct *mm = BPF_CORE_READ(task, mm);
	if (!mm)
		return;
	struct dentry *d = BPF_CORE_READ(mm, exe_file, f_path.dentry);
	__u32 pos = 0;
	for (int depth = 0; depth < 16 && d; depth++) {
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		if (parent == d)
			break; /* the root's own name is "/" */
		const unsigned char *name = BPF_CORE_READ(d, d_name.name);
		long n = bpf_probe_read_kernel_str(&e->exe[pos & 255], BEESTING_EXE_NAME_MAX, name);
		if (n <= 0)
			break;
		pos += n;
		if (pos >= 256)
			break;
		d = parent;
	}
	e->exe_len = pos;

	unsigned long start = BPF_CORE_READ(mm, arg_start);
	unsigned long len = BPF_CORE_READ(mm, arg_end) - start;
	if (len > BEESTING_ARGS_LEN)
		len = BEESTING_ARGS_LEN;
	if (bpf_probe_read_user(e->args, len, (const void *)start) == 0)
		e->args_len = len;
}

/*
 * Records who started the opener, as the parent chain is at the open: the first ancestors with their ids and
 * comm, and where the chain leaves the opener's mount namespace. A container's own processes leave it at the
 * container's first process (whose parent is the runtime's shim); a process someone started inside it from
 * outside (an exec) leaves it at itself or at a child of that exec.
 */
static __always_inline void capture_ancestry(struct beesting_event *e, struct task_struct *task)
{
	e->mnt_ns = BPF_CORE_READ(task, nsproxy, mnt_ns, ns.inum);
	e->entry_tgid = 0;
	e->ancestors_len = 0;
	e->pad2 = 0;
	__u32 entry = BPF_CORE_READ(task, tgid);
	bool entry_found = false;
	struct task_struct *cur = task;
	for (int depth = 0; depth < BEESTING_WALK_MAX; depth++) {
		struct task_struct *parent = BPF_CORE_READ(cur, real_parent);
		if (!parent || parent == cur)
			break;
		__u32 tgid = BPF_CORE_READ(parent, tgid);
		if (tgid == 0)
			break; /* the idle task: the chain ended at the host's init */
		if (depth < BEESTING_ANCESTORS) {
			struct beesting_ancestor *a = &e->ancestors[depth];
			a->pid = BPF_CORE_READ(parent, pid);
			a->tgid = tgid;
			a->start_ns = BPF_CORE_READ(parent, group_leader, start_boottime);
			BPF_CORE_READ_STR_INTO(&a->comm, parent, comm);
			e->ancestors_len = depth + 1;
		}
		if (!entry_found) {
			/* an exiting parent has no nsproxy any more: it reads as 0, outside, which ends the search */
			__u32 mnt = BPF_CORE_READ(parent, nsproxy, mnt_ns, ns.inum);
			if (mnt != e->mnt_ns) {
				e->entry_tgid = entry;
				entry_found = true;
			} else {
				entry = tgid;
			}
		}
		if (entry_found && depth + 1 >= BEESTING_ANCESTORS)
			break;
		cur = parent;
	}
}

/* The shared core of every tier; returns the verdict the LSM hook must give (0 or -EPERM). */
static __always_inline int on_open(struct file *file, __u32 tier, bool can_block)
{
	struct inode *inode = BPF_CORE_READ(file, f_inode);
	if (!inode)
		return 0;
	struct beesting_key key;
	key.dev = BPF_CORE_READ(inode, i_sb, s_dev);
	key.pad = 0;
	key.ino = BPF_CORE_READ(inode, i_ino);

	__u32 zero = 0;
	struct beesting_settings *s = bpf_map_lookup_elem(&settings, &zero);
	if (s && s->learning)
		learn_key(&key);

	struct beesting_token *token = bpf_map_lookup_elem(&tokens, &key);
	if (!token)
		return 0;

	__u64 count = __sync_fetch_and_add(&token->count, 1) + 1;
	stat_add(BEESTING_STAT_HITS, 1);
	int verdict = (can_block && token->action == BEESTING_ACTION_BLOCK) ? -EPERM : 0;

	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	__u64 now = bpf_ktime_get_ns();
	__u64 suppressed;
	if (!rate_allows(s, token->id, tgid, now, &suppressed) || !token_allows(s, token, now))
		return verdict;

	struct beesting_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_add(BEESTING_STAT_RINGBUF_FULL, 1);
		return verdict;
	}
	__u64 uid_gid = bpf_get_current_uid_gid();
	e->token_id = token->id;
	e->count = count;
	e->suppressed = suppressed;
	e->ktime_ns = now;
	e->pid = (__u32)pid_tgid;
	e->tgid = tgid;
	e->uid = (__u32)uid_gid;
	e->gid = uid_gid >> 32;
	e->tier = tier;
	e->verdict = verdict ? 1 : 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	capture_process(e);
	capture_ancestry(e, (struct task_struct *)bpf_get_current_task());
	bpf_ringbuf_submit(e, 0);
	stat_add(BEESTING_STAT_EMITTED, 1);
	return verdict;
}

SEC("lsm/file_open")
int BPF_PROG(beesting_lsm, struct file *file, int ret)
{
	if (ret)
		return ret;
	return on_open(file, BEESTING_TIER_LSM, true);
}

SEC("fentry/security_file_open")
int BPF_PROG(beesting_fentry, struct file *file)
{
	on_open(file, BEESTING_TIER_FENTRY, false);
	return 0;
}

SEC("kprobe/security_file_open")
int BPF_KPROBE(beesting_kprobe, struct file *file)
{
	on_open(file, BEESTING_TIER_KPROBE, false);
	return 0;
}

/*
 * Last resort for kernels without trampolines or kprobes: on a successful return of an open-family syscall,
 * find the new descriptor's struct file in the task's fd table. Opens done by io_uring never pass here.
 */
SEC("tp_btf/sys_exit")
int BPF_PROG(beesting_syscall, struct pt_regs *regs, long ret)
{
	if (ret < 0)
		return 0;
	long nr = BPF_CORE_READ(regs, orig_ax);
	if (nr != NR_OPENAT && nr != NR_OPEN && nr != NR_OPENAT2 && nr != NR_CREAT && nr != NR_OPEN_BY_HANDLE_AT)
		return 0;
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt || ret >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	bpf_probe_read_kernel(&file, sizeof(file), &fds[ret]);
	if (!file)
		return 0;
	/* An O_PATH descriptor cannot read the file, and security_file_open never sees it: runc opens every bind
	 * mount source that way while it sets a container up. Reading through it later (/proc/self/fd/N) is a
	 * real open and is caught. */
	if (BPF_CORE_READ(file, f_mode) & FMODE_PATH)
		return 0;
	on_open(file, BEESTING_TIER_SYSCALL, false);
	return 0;
}
