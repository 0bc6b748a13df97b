package dev.beesting.agent.tokens;

import static dev.beesting.agent.sys.Libc.AT_FDCWD;
import static dev.beesting.agent.sys.Libc.AT_SYMLINK_FOLLOW;
import static dev.beesting.agent.sys.Libc.O_CLOEXEC;
import static dev.beesting.agent.sys.Libc.O_CREAT;
import static dev.beesting.agent.sys.Libc.O_DIRECTORY;
import static dev.beesting.agent.sys.Libc.O_EXCL;
import static dev.beesting.agent.sys.Libc.O_NOFOLLOW;
import static dev.beesting.agent.sys.Libc.O_PATH;
import static dev.beesting.agent.sys.Libc.O_TMPFILE;
import static dev.beesting.agent.sys.Libc.O_WRONLY;
import static dev.beesting.agent.sys.Libc.RESOLVE_IN_ROOT;
import static dev.beesting.agent.sys.Libc.RESOLVE_NO_MAGICLINKS;
import static dev.beesting.agent.sys.Libc.RESOLVE_NO_SYMLINKS;

import dev.beesting.agent.sys.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's root folder held open: every path is resolved inside it with {@code openat2} and
 * {@code RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS}, so symlinks and {@code ..} planted by a hostile container stay
 * inside the container and {@code /proc} magic links cannot lead out to the host.
 */
final class ContainerRoot implements AutoCloseable {
    /** Resolution for the folders above a token: the container's own symlinks are followed, but within its root. */
    private static final long IN_ROOT = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    /** Resolution for the token itself: no symlink at all. */
    private static final long NO_LINKS = IN_ROOT | RESOLVE_NO_SYMLINKS;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    private final int rootFd;
    private final String description;

    private ContainerRoot(int rootFd, String description) {
        this.rootFd = rootFd;
        this.description = description;
    }

    /**
     * The root of the container whose process is {@code pid}. The process folder is opened first and everything
     * else relative to it, so a pid reused by another process after the check cannot redirect the writes.
     *
     * @throws IOException if the process is gone or no longer belongs to {@code containerId}
     */
    static ContainerRoot ofProcess(int pid, String containerId) throws IOException {
        if (pid <= 0) {
            throw new IOException("container " + containerId + " has no process");
        }
        int procFd = Libc.openat(-100, "/proc/" + pid, O_PATH | O_DIRECTORY | O_CLOEXEC);
        try {
            String cgroup = Files.readString(fdPath(procFd).resolve("cgroup"), StandardCharsets.UTF_8);
            if (!cgroup.contains(containerId)) {
                throw new IOException("process " + pid + " does not belong to container " + containerId);
            }
            int rootFd = Libc.openat(procFd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
            return new ContainerRoot(rootFd, "container " + containerId + " (pid " + pid + ")");
        } finally {
            Libc.close(procFd);
        }
    }

    /** A plain folder treated as a root, for tests and for hosts without containers. */
    static ContainerRoot ofDirectory(Path dir) throws IOException {
        int fd = Libc.openat(-100, dir.toString(), O_PATH | O_DIRECTORY | O_CLOEXEC);
        return new ContainerRoot(fd, dir.toString());
    }

    /** Arms a file the detector reaches through {@code reopenPath}, before anyone else can open it. */
    @FunctionalInterface
    interface Arming {
        void arm(Path reopenPath) throws IOException;
    }

    /**
     * Creates {@code path} with {@code content} and {@code mode}: only if its folder exists and is writable, never
     * over an existing file or symlink.
     *
     * @return the new file, held open until closed
     */
    LiveFile create(String path, String content, int mode) throws IOException {
        return create(path, content, mode, reopenPath -> {});
    }

    /**
     * Like {@link #create(String, String, int)}, but arms the file before its name appears: it is made unnamed
     * ({@code O_TMPFILE}), written, given its mode and armed, and only then linked in under its name, so a process
     * watching the folder (inotify) cannot open it unseen and keep the descriptor. Where the container's
     * filesystem has no unnamed files (overlayfs before Linux 6.6) it is created empty and armed before its content
     * is written, leaving only that short window.
     */
    LiveFile create(String path, String content, int mode, Arming arming) throws IOException {
        Split split = split(path);
        int parent = Libc.openat2(rootFd, split.parent(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, IN_ROOT);
        try {
            int fd;
            try {
                fd = Libc.openat2(parent, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600, IN_ROOT);
            } catch (Libc.ErrnoException e) {
                if (e.errno() != Libc.EOPNOTSUPP && e.errno() != Libc.EISDIR && e.errno() != Libc.EINVAL) {
                    throw e;
                }
                return createNamed(parent, split.name(), content, mode, arming);
            }
            try {
                Libc.writeFully(fd, content.getBytes(StandardCharsets.UTF_8));
                Libc.fchmod(fd, mode);
                arming.arm(fdPath(fd));
                // never over an existing name: linkat does not follow or replace what is there (EEXIST)
                Libc.linkat(AT_FDCWD, fdPath(fd).toString(), parent, split.name(), AT_SYMLINK_FOLLOW);
                return new LiveFile(fd, inode(fd));
            } catch (IOException | RuntimeException e) {
                Libc.close(fd); // unnamed: closing it is all the cleaning up
                throw e;
            }
        } finally {
            Libc.close(parent);
        }
    }

    private LiveFile createNamed(int parent, String name, String content, int mode, Arming arming) throws IOException {
        int fd = Libc.openat2(parent, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0600, NO_LINKS);
        try {
            arming.arm(fdPath(fd));
            Libc.writeFully(fd, content.getBytes(StandardCharsets.UTF_8));
            Libc.fchmod(fd, mode);
            return new LiveFile(fd, inode(fd));
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            unlinkQuietly(parent, name);
            throw e;
        }
    }

    /**
     * Opens a file planted earlier, if it is still the regular file with inode {@code ino} (a container may have
     * replaced it with anything, including a symlink).
     */
    LiveFile open(String path, long ino) throws IOException {
        Split split = split(path);
        int parent = Libc.openat2(rootFd, split.parent(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, IN_ROOT);
        try {
            int fd = Libc.openat2(parent, split.name(), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, NO_LINKS);
            try {
                long found = inode(fd);
                if (!isRegular(fd) || found != ino) {
                    throw new IOException(path + " in " + description + " is no longer the planted file");
                }
                return new LiveFile(fd, found);
            } catch (IOException | RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        } finally {
            Libc.close(parent);
        }
    }

    /**
     * Deletes {@code path} if it is still the file with inode {@code ino}.
     *
     * @return false if there was nothing of ours to delete
     */
    boolean delete(String path, long ino) throws IOException {
        Split split = split(path);
        int parent;
        try {
            parent = Libc.openat2(rootFd, split.parent(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0, IN_ROOT);
        } catch (Libc.ErrnoException e) {
            if (e.errno() == Libc.ENOENT) {
                return false;
            }
            throw e;
        }
        try {
            int fd;
            try {
                fd = Libc.openat2(parent, split.name(), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, NO_LINKS);
            } catch (Libc.ErrnoException e) {
                if (e.errno() == Libc.ENOENT) {
                    return false;
                }
                throw e;
            }
            try {
                // inode numbers are reused at once: a symlink put in place of a deleted token may carry its number
                if (!isRegular(fd) || inode(fd) != ino) {
                    return false;
                }
            } finally {
                Libc.close(fd);
            }
            Libc.unlinkat(parent, split.name());
            return true;
        } finally {
            Libc.close(parent);
        }
    }

    @Override
    public void close() {
        Libc.close(rootFd);
    }

    @Override
    public String toString() {
        return description;
    }

    private static void unlinkQuietly(int parent, String name) {
        try {
            Libc.unlinkat(parent, name);
        } catch (IOException e) {
            // the half-written file stays; it is not armed, so it only costs its bytes
        }
    }

    /** Reading through the fd's magic link reaches the open file itself, whatever its path is now. */
    static Path fdPath(int fd) {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    private static boolean isRegular(int fd) throws IOException {
        int mode = ((Number) Files.getAttribute(fdPath(fd), "unix:mode")).intValue();
        return (mode & S_IFMT) == S_IFREG;
    }

    private static long inode(int fd) throws IOException {
        return ((Number) Files.getAttribute(fdPath(fd), "unix:ino")).longValue();
    }

    record Split(String parent, String name) {}

    /** Splits an absolute in-container path into its folder and a plain file name. */
    static Split split(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        if (!path.startsWith("/") || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IOException("token path " + path + " does not name a file");
        }
        return new Split(slash == 0 ? "/" : path.substring(0, slash), name);
    }
}
