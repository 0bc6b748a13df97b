// SPDX-License-Identifier: Apache-2.0
/*
 * Test and benchmark helper: opens a file the ways an attacker might, as a separate process so the detector
 * attributes the open to it (and not to the test JVM, whose own opens fanotify ignores).
 *
 *   opener open|opath|handle|mmap|sendfile|iouring PATH   one access; exit 1 with the errno text on failure
 *   opener loop PATH SECONDS                              open+close as fast as possible, prints the count
 *   opener bench PATH PAIRS                               prints CPU ns per open+close pair (process CPU time,
 *                                                         so other load on the host does not count)
 *   opener latency PATH COUNT GAP_US                      prints the CLOCK_MONOTONIC ns before each open
 *   opener flood PATH SECONDS COUNT OTHER                 COUNT processes start "loop" on PATH together; one
 *                                                         second in, this process opens OTHER once and prints
 *                                                         "other"; then each looper's count, one line each
 *   opener stalled PATH DIR                               opens PATH while its /proc/<pid>/cmdline cannot be read
 *                                                         (a FUSE mount at DIR never answers), prints "ready",
 *                                                         waits to be killed
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/fuse.h>
#include <signal.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "opener: %s: %s\n", what, strerror(errno));
	return 1;
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int read_and_close(int fd)
{
	char buf[256];
	if (read(fd, buf, sizeof(buf)) < 0)
		return fail("read");
	close(fd);
	return 0;
}

static int by_o_path(const char *path)
{
	int pfd = open(path, O_PATH);
	if (pfd < 0)
		return fail("open O_PATH");
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", pfd);
	int fd = open(link, O_RDONLY);
	if (fd < 0)
		return fail("open /proc/self/fd");
	close(pfd);
	return read_and_close(fd);
}

static int by_handle(const char *path)
{
	struct file_handle *handle = malloc(sizeof(*handle) + MAX_HANDLE_SZ);
	handle->handle_bytes = MAX_HANDLE_SZ;
	int mount_id;
	if (name_to_handle_at(AT_FDCWD, path, handle, &mount_id, 0) < 0)
		return fail("name_to_handle_at");
	char *copy = strdup(path);
	int mount_fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (mount_fd < 0)
		return fail("open parent");
	int fd = open_by_handle_at(mount_fd, handle, O_RDONLY);
	if (fd < 0)
		return fail("open_by_handle_at");
	return read_and_close(fd);
}

static int by_mmap(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail("open");
	struct stat st;
	fstat(fd, &st);
	char *p = mmap(NULL, st.st_size ? st.st_size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return fail("mmap");
	volatile char c = p[0];
	(void)c;
	return 0;
}

static int by_sendfile(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return fail("open");
	int out = open("/dev/null", O_WRONLY);
	if (sendfile(out, fd, NULL, 4096) < 0)
		return fail("sendfile");
	return 0;
}

/* openat submitted through io_uring with raw syscalls (no liburing needed). */
static int by_io_uring(const char *path)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	int ring = syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0)
		return fail("io_uring_setup");
	size_t sq_size = p.sq_off.array + p.sq_entries * sizeof(__u32);
	size_t cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	size_t size = sq_size > cq_size ? sq_size : cq_size;
	char *sq = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return fail("mmap sq ring");
	char *cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return fail("mmap cq ring");
	}
	struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
					 MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sqes == MAP_FAILED)
		return fail("mmap sqes");
	unsigned *tail = (unsigned *)(sq + p.sq_off.tail);
	unsigned mask = *(unsigned *)(sq + p.sq_off.ring_mask);
	unsigned *array = (unsigned *)(sq + p.sq_off.array);
	unsigned index = *tail & mask;
	struct io_uring_sqe *sqe = &sqes[index];
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = AT_FDCWD;
	sqe->addr = (uint64_t)(uintptr_t)path;
	sqe->open_flags = O_RDONLY;
	array[index] = index;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return fail("io_uring_enter");
	unsigned head = __atomic_load_n((unsigned *)(cq + p.cq_off.head), __ATOMIC_ACQUIRE);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	int res = cqes[head & *(unsigned *)(cq + p.cq_off.ring_mask)].res;
	if (res < 0) {
		errno = -res;
		return fail("io_uring openat");
	}
	return read_and_close(res);
}

static int loop(const char *path, int seconds)
{
	long long end = now_ns() + seconds * 1000000000LL;
	long long count = 0;
	/* the clock is read every 10 opens: an open the detector holds back (fanotify past its rate limit) must
	 * not stretch the run by a long batch */
	while (now_ns() < end) {
		for (int i = 0; i < 10; i++) {
			int fd = open(path, O_RDONLY);
			if (fd < 0)
				return fail("open");
			close(fd);
		}
		count += 10;
	}
	printf("%lld\n", count);
	return 0;
}

/* Starts every looping child first and then releases them at once, so the flood is complete from its start. */
static int flood(const char *path, int seconds, int count, const char *other)
{
	int gate[2];
	if (pipe(gate) < 0)
		return fail("pipe");
	for (int i = 0; i < count; i++) {
		pid_t child = fork();
		if (child < 0)
			return fail("fork");
		if (child == 0) {
			/* below this process and the agent, so on one slow CPU it still opens OTHER mid-flood */
			if (nice(19) < 0)
				_exit(fail("nice"));
			close(gate[1]);
			char c;
			if (read(gate[0], &c, 1) < 0)
				_exit(fail("read gate"));
			int rc = loop(path, seconds);
			fflush(stdout);
			_exit(rc);
		}
	}
	close(gate[0]);
	close(gate[1]);
	sleep(1);
	int fd = open(other, O_RDONLY);
	if (fd < 0)
		return fail("open other");
	close(fd);
	printf("other\n");
	fflush(stdout);
	int rc = 0;
	for (int i = 0; i < count; i++) {
		int status;
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	}
	return rc;
}

static long long cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int bench(const char *path, long pairs)
{
	long long start = cpu_ns();
	for (long i = 0; i < pairs; i++) {
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail("open");
		close(fd);
	}
	printf("%.1f\n", (double)(cpu_ns() - start) / pairs);
	return 0;
}

static int latency(const char *path, int count, int gap_us)
{
	for (int i = 0; i < count; i++) {
		long long t = now_ns();
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			return fail("open");
		close(fd);
		printf("%lld\n", t);
		fflush(stdout);
		usleep(gap_us);
	}
	return 0;
}

/* The FUSE server of "stalled": one read-only file, "argv", whose pages are never served. */
static void fuse_reply(int dev, uint64_t unique, int error, const void *body, size_t size)
{
	char out[sizeof(struct fuse_out_header) + 256];
	struct fuse_out_header *h = (struct fuse_out_header *)out;
	h->len = sizeof(*h) + (error ? 0 : size);
	h->error = error;
	h->unique = unique;
	if (!error && size)
		memcpy(out + sizeof(*h), body, size);
	if (write(dev, out, h->len) < 0)
		_exit(1);
}

static void fuse_attr_of(uint64_t node, struct fuse_attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->ino = node;
	attr->nlink = 1;
	attr->mode = node == FUSE_ROOT_ID ? (S_IFDIR | 0755) : (S_IFREG | 0444);
	attr->size = node == FUSE_ROOT_ID ? 0 : 4096;
	attr->blocks = 8;
	attr->blksize = 4096;
}

static void fuse_serve(int dev, int reading)
{
	static char buf[FUSE_MIN_READ_BUFFER + 128 * 1024];
	for (;;) {
		ssize_t n = read(dev, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			_exit(0);
		}
		struct fuse_in_header *in = (struct fuse_in_header *)buf;
		void *arg = buf + sizeof(*in);
		switch (in->opcode) {
		case FUSE_INIT: {
			struct fuse_init_in *init = arg;
			struct fuse_init_out out;
			memset(&out, 0, sizeof(out));
			out.major = FUSE_KERNEL_VERSION;
			out.minor = FUSE_KERNEL_MINOR_VERSION;
			out.max_readahead = init->max_readahead;
			out.max_write = 4096;
			fuse_reply(dev, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_LOOKUP: {
			if (in->nodeid != FUSE_ROOT_ID || strcmp((char *)arg, "argv")) {
				fuse_reply(dev, in->unique, -ENOENT, NULL, 0);
				break;
			}
			struct fuse_entry_out out;
			memset(&out, 0, sizeof(out));
			out.nodeid = 2;
			out.entry_valid = 3600;
			out.attr_valid = 3600;
			fuse_attr_of(2, &out.attr);
			fuse_reply(dev, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out out;
			memset(&out, 0, sizeof(out));
			out.attr_valid = 3600;
			fuse_attr_of(in->nodeid, &out.attr);
			fuse_reply(dev, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_OPEN: {
			struct fuse_open_out out;
			memset(&out, 0, sizeof(out));
			out.fh = 1;
			fuse_reply(dev, in->unique, 0, &out, sizeof(out));
			break;
		}
		case FUSE_READ: /* the point: a read of the file's pages never completes */
			if (write(reading, "r", 1) < 0)
				_exit(1);
			break;
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
		case FUSE_INTERRUPT:
			break;
		case FUSE_FLUSH:
		case FUSE_RELEASE:
			fuse_reply(dev, in->unique, 0, NULL, 0);
			break;
		default:
			fuse_reply(dev, in->unique, -ENOSYS, NULL, 0);
		}
	}
}

struct stall {
	int mem;
	char *page;
	int go[2];
};

/* Holds the process's mmap_lock for read: a /proc/self/mem read of a page the FUSE server never delivers. */
static void *hold_read_lock(void *arg)
{
	struct stall *s = arg;
	char c;
	pread(s->mem, &c, 1, (off_t)(uintptr_t)s->page);
	return NULL;
}

/* Queues for the mmap_lock for write, so every later reader (the kernel's /proc/<pid>/cmdline) queues behind. */
static void *wait_write_lock(void *arg)
{
	struct stall *s = arg;
	char c;
	if (read(s->go[0], &c, 1) == 1)
		mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return NULL;
}

/*
 * A process whose /proc/<pid>/cmdline cannot be read, the way a process touching a stalled network or FUSE mount
 * behaves: one thread faults a page of a FUSE file whose server never answers a read while holding the mmap_lock
 * (a /proc/self/mem read does not drop it), a second waits to take it for write, and a reader of the argv queues
 * behind both. Then the main thread opens PATH.
 */
static int stalled(const char *path, const char *dir)
{
	int dev = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		return fail("open /dev/fuse");
	char options[128];
	snprintf(options, sizeof(options), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", dev);
	if (mount("beesting-stalled", dir, "fuse", MS_NOSUID | MS_NODEV, options) < 0)
		return fail("mount fuse");
	int reading[2];
	if (pipe(reading) < 0)
		return fail("pipe");
	pid_t server = fork();
	if (server == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(reading[0]);
		fuse_serve(dev, reading[1]);
		_exit(0);
	}
	close(dev);
	close(reading[1]);
	char file[4096];
	snprintf(file, sizeof(file), "%s/argv", dir);
	int fd = open(file, O_RDONLY);
	if (fd < 0)
		return fail("open fuse file");
	static struct stall s;
	s.page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (s.page == MAP_FAILED)
		return fail("mmap fuse file");
	close(fd);
	umount2(dir, MNT_DETACH); /* the mapping stays; nothing is left mounted when the test ends */
	s.mem = open("/proc/self/mem", O_RDONLY);
	if (s.mem < 0 || pipe(s.go) < 0)
		return fail("open /proc/self/mem");
	pthread_t writer, reader;
	/* both threads exist before the lock is held: creating a thread maps its stack */
	if (pthread_create(&writer, NULL, wait_write_lock, &s) || pthread_create(&reader, NULL, hold_read_lock, &s))
		return fail("pthread_create");
	char c;
	if (read(reading[0], &c, 1) != 1)
		return fail("waiting for the fuse read");
	if (write(s.go[1], "x", 1) != 1)
		return fail("write");
	usleep(200 * 1000);
	int token = open(path, O_RDONLY);
	if (token < 0)
		return fail("open");
	close(token);
	if (write(1, "ready\n", 6) != 6)
		return fail("write");
	pause();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: opener MODE PATH [ARGS]\n");
		return 2;
	}
	const char *mode = argv[1], *path = argv[2];
	if (!strcmp(mode, "open")) {
		int fd = open(path, O_RDONLY);
		return fd < 0 ? fail("open") : read_and_close(fd);
	}
	if (!strcmp(mode, "opath"))
		return by_o_path(path);
	if (!strcmp(mode, "handle"))
		return by_handle(path);
	if (!strcmp(mode, "mmap"))
		return by_mmap(path);
	if (!strcmp(mode, "sendfile"))
		return by_sendfile(path);
	if (!strcmp(mode, "iouring"))
		return by_io_uring(path);
	if (!strcmp(mode, "loop") && argc > 3)
		return loop(path, atoi(argv[3]));
	if (!strcmp(mode, "bench") && argc > 3)
		return bench(path, atol(argv[3]));
	if (!strcmp(mode, "latency") && argc > 4)
		return latency(path, atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(mode, "flood") && argc > 5)
		return flood(path, atoi(argv[3]), atoi(argv[4]), argv[5]);
	if (!strcmp(mode, "stalled") && argc > 3)
		return stalled(path, argv[3]);
	fprintf(stderr, "opener: unknown mode %s\n", mode);
	return 2;
}
