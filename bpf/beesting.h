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
