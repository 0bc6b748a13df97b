/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Records shared between the BPF programs and the agent's Java side (dev.beesting.agent.detect.BpfLayouts).
 * Only fixed-width fields, laid out without implicit padding, so both sides agree byte for byte; a Java test
 * reads this file and checks every offset.
 */
#ifndef BEESTING_H
#define BEESTING_H

#define BEESTING_COMM_LEN 16
/* exe: the executable's dentry names, leaf first, each NUL-terminated (the walk writes at most 256 + 64 bytes) */
#define BEESTING_EXE_LEN 320
#define BEESTING_EXE_NAME_MAX 64
/* args: the start of the opener's argv block, NUL-separated as in /proc/<pid>/cmdline */
#define BEESTING_ARGS_LEN 256
/* ancestors: the opener's parent, grandparent, ... as they are at the open */
#define BEESTING_ANCESTORS 4
/* how far up the parent chain the hook looks for where the opener's mount namespace was entered */
#define BEESTING_WALK_MAX 16

/* Which entry point saw the open; the numbers are the Java Tier ordinals. */
enum beesting_tier {
	BEESTING_TIER_LSM = 0,
	BEESTING_TIER_FENTRY = 1,
	BEESTING_TIER_KPROBE = 2,
	BEESTING_TIER_SYSCALL = 3,
};

enum beesting_action {
	BEESTING_ACTION_ALERT = 0,
	BEESTING_ACTION_BLOCK = 1,
};

/* Identity of a file as the hook sees it: the superblock's s_dev (kernel encoding) and the inode number. */
struct beesting_key {
	__u32 dev;
	__u32 pad;
	__u64 ino;
};

/*
 * What an armed file maps to. count is bumped atomically on every open, so it stays exact under floods. The
 * window fields are the token's own rate limit, over all processes (the agent writes them as zero).
 */
struct beesting_token {
	__u64 id;
	__u32 action;
	__u32 pad;
	__u64 count;
	__u64 window_start_ns;
	__u64 emitted;    /* events of this token in the current window */
	__u64 suppressed; /* opens of this token whose event its own budget dropped, since it was armed */
};

/* One process up the opener's parent chain. */
struct beesting_ancestor {
	__u64 start_ns; /* its thread group leader's start, ns after boot: with tgid, the process as /proc/<tgid>/stat shows it */
	__u32 pid;      /* the thread that forked the child below it */
	__u32 tgid;
	char comm[BEESTING_COMM_LEN];
};

/* One open of an armed file, sent through the ring buffer. */
struct beesting_event {
	__u64 token_id;
	__u64 count;      /* the token's counter right after this open */
	__u64 suppressed; /* events of this (token, tgid) the rate limit dropped before this one */
	__u64 ktime_ns;   /* bpf_ktime_get_ns() at the hook */
	__u32 pid;
	__u32 tgid;
	__u32 uid;
	__u32 gid;
	__u32 tier;
	__u32 verdict;    /* 0 allowed, 1 denied */
	__u32 exe_len;    /* bytes used in exe */
	__u32 args_len;   /* bytes used in args */
	char comm[BEESTING_COMM_LEN];
	/* read at the hook, because a short-lived opener (cat) is gone before the agent can read /proc */
	char exe[BEESTING_EXE_LEN];
	char args[BEESTING_ARGS_LEN];
	__u32 mnt_ns;        /* the opener's mount namespace (its inode number, as in /proc/<pid>/ns/mnt) */
	__u32 entry_tgid;    /* the last process up the chain still in mnt_ns, below one outside it; 0 unknown */
	__u32 ancestors_len; /* entries used in ancestors */
	__u32 pad2;
	struct beesting_ancestor ancestors[BEESTING_ANCESTORS];
};

/* Per-(token, tgid) rate-limit window. */
struct beesting_rate_key {
	__u64 token_id;
	__u32 tgid;
	__u32 pad;
};

struct beesting_rate {
	__u64 window_start_ns;
	__u64 emitted;
	__u64 suppressed;
};

/* Rate limit and other run-time settings, slot 0 of the settings array. */
struct beesting_settings {
	__u64 window_ns;
	__u64 burst;    /* events per (token, tgid) per window; 0 disables the limit */
	__u64 learning; /* non-zero while the agent learns a key: only then do hooks consult the learn map */
	__u64 token_burst; /* events per token per window, over all processes; 0 disables it */
};

/* Learn mode: the agent registers a thread id, opens the token once, and reads back what the hook saw. */
struct beesting_learned {
	__u32 dev;
	__u32 hits;
	__u64 ino;
};

/* Global counters, slots of the per-CPU stats array. */
enum beesting_stat {
	BEESTING_STAT_HITS = 0,      /* opens of armed files */
	BEESTING_STAT_EMITTED = 1,   /* events written to the ring buffer */
	BEESTING_STAT_RATE_LIMITED = 2,
	BEESTING_STAT_RINGBUF_FULL = 3, /* events lost because the ring buffer was full */
	BEESTING_STAT_MAX = 4,
};

#endif /* BEESTING_H */
