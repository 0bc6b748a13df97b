// SPDX-License-Identifier: GPL-2.0
// Loads open_probes.bpf.o, attaches every program, opens a watched file and an unwatched one, and exits 0
// only if the lsm program denied the watched open and every program saw it.
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const names[] = {"lsm_file_open", "fentry_file_open", "kprobe_file_open"};

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s OBJECT WATCHED_FILE\n", argv[0]);
        return 2;
    }
    struct stat st;
    if (stat(argv[2], &st) != 0) {
        perror(argv[2]);
        return 2;
    }
    struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
    if (!obj || bpf_object__load(obj) != 0) {
        fprintf(stderr, "smoke: loading %s failed: %s\n", argv[1], strerror(errno));
        return 1;
    }
    int failed = 0;
    for (int i = 0; i < 3; i++) {
        struct bpf_program *prog = bpf_object__find_program_by_name(obj, names[i]);
        if (!prog || !bpf_program__attach(prog)) {
            fprintf(stderr, "smoke: attaching %s failed: %s\n", names[i], strerror(errno));
            failed = 1;
        }
    }
    int state = bpf_object__find_map_fd_by_name(obj, "state");
    __u32 key = 0;
    __u64 ino = st.st_ino;
    bpf_map_update_elem(state, &key, &ino, BPF_ANY);

    int fd = open(argv[2], O_RDONLY);
    int denied = fd < 0 && errno == EPERM;
    if (fd >= 0)
        close(fd);
    int other = open("/proc/self/status", O_RDONLY);
    if (other < 0)
        failed = 1;
    else
        close(other);

    printf("smoke: watched open %s, unwatched open %s;", denied ? "denied (EPERM)" : "NOT denied",
           other >= 0 ? "allowed" : "FAILED");
    for (__u32 slot = 1; slot <= 3; slot++) {
        __u64 hits = 0;
        bpf_map_lookup_elem(state, &slot, &hits);
        printf(" %s=%llu", names[slot - 1], (unsigned long long)hits);
        failed |= hits == 0;
    }
    printf("\n");
    bpf_object__close(obj);
    return failed || !denied;
}
