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
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <linux/io_uring.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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
	fprintf(stderr, "opener: unknown mode %s\n", mode);
	return 2;
}
