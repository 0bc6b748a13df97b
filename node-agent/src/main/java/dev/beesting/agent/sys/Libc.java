package dev.beesting.agent.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls of the agent: those that plant files inside a container's root ({@code openat2}, a raw syscall as
 * glibc 2.36 has no wrapper, {@code openat}, {@code write}, {@code fchmod}, {@code unlinkat}), and the thread id and
 * plain {@code open} the detectors learn keys with. Failures are {@link IOException}s whose message names the errno,
 * so logs and callers can tell EROFS from ELOOP.
 */
public final class Libc {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 0x1;
    public static final int O_CREAT = 0x40;
    public static final int O_EXCL = 0x80;
    public static final int O_DIRECTORY = 0x10000;
    public static final int O_NOFOLLOW = 0x20000;
    public static final int O_CLOEXEC = 0x80000;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_PATH = 0x200000;
    /** An unnamed file in the given folder ({@code __O_TMPFILE | O_DIRECTORY}). */
    public static final int O_TMPFILE = 0x410000;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_FOLLOW = 0x400;

    public static final long RESOLVE_NO_MAGICLINKS = 0x02;
    public static final long RESOLVE_NO_SYMLINKS = 0x04;
    public static final long RESOLVE_IN_ROOT = 0x10;

    public static final int ENOENT = 2;
    public static final int EAGAIN = 11;
    public static final int EEXIST = 17;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int EOPNOTSUPP = 95;

    /** x86_64 number of openat2(2). */
    private static final long SYS_OPENAT2 = 437;

    private static final Linker LINKER = NativeCalls.LINKER;
    private static final SymbolLookup LIBC = LINKER.defaultLookup();

    /** struct open_how: flags, mode, resolve, all u64. */
    private static final MemoryLayout OPEN_HOW = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("flags"),
            ValueLayout.JAVA_LONG.withName("mode"),
            ValueLayout.JAVA_LONG.withName("resolve"));

    private static final MethodHandle SYSCALL_OPENAT2 = LINKER.downcallHandle(
            symbol("syscall"),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_LONG,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle OPENAT = LINKER.downcallHandle(
            symbol("openat"),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.firstVariadicArg(3),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle WRITE = LINKER.downcallHandle(
            symbol("write"),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle FCHMOD = LINKER.downcallHandle(
            symbol("fchmod"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle UNLINKAT = LINKER.downcallHandle(
            symbol("unlinkat"),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle LINKAT = LINKER.downcallHandle(
            symbol("linkat"),
            FunctionDescriptor.of(
                    ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS,
                    ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle CLOSE =
            LINKER.downcallHandle(symbol("close"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle GETTID =
            LINKER.downcallHandle(symbol("gettid"), FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = LINKER.downcallHandle(
            symbol("open"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private Libc() {}

    private static MemorySegment symbol(String name) {
        NativeCalls.requireNativeAccess();
        return LIBC.find(name).orElseThrow(() -> new IllegalStateException("native symbol " + name + " not found"));
    }

    /** An errno from a failed call, with its name in the message. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String call, String path, int errno) {
            super(call + " " + path + ": " + Errno.name(errno));
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    public static int openat2(int dirfd, String path, int flags, int mode, long resolve) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment how = arena.allocate(OPEN_HOW);
            how.set(ValueLayout.JAVA_LONG, 0, flags & 0xffffffffL);
            how.set(ValueLayout.JAVA_LONG, 8, mode);
            how.set(ValueLayout.JAVA_LONG, 16, resolve);
            long fd = (long) SYSCALL_OPENAT2.invokeExact(
                    capture, SYS_OPENAT2, dirfd, arena.allocateFrom(path), how, OPEN_HOW.byteSize());
            if (fd < 0) {
                throw new ErrnoException("openat2", path, NativeCalls.errno(capture));
            }
            return (int) fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int openat(int dirfd, String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            int fd = (int) OPENAT.invokeExact(capture, dirfd, arena.allocateFrom(path), flags);
            if (fd < 0) {
                throw new ErrnoException("openat", path, NativeCalls.errno(capture));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Writes all of {@code bytes}, looping over short writes. */
    public static void writeFully(int fd, byte[] bytes) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, ValueLayout.JAVA_BYTE, 0, bytes.length);
            long done = 0;
            while (done < bytes.length) {
                long n = (long) WRITE.invokeExact(capture, fd, buffer.asSlice(done), bytes.length - done);
                if (n < 0) {
                    int errno = NativeCalls.errno(capture);
                    if (errno == 4) {
                        continue; // EINTR
                    }
                    throw new ErrnoException("write", "fd " + fd, errno);
                }
                done += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void fchmod(int fd, int mode) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            if ((int) FCHMOD.invokeExact(capture, fd, mode) < 0) {
                throw new ErrnoException("fchmod", "fd " + fd, NativeCalls.errno(capture));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void unlinkat(int dirfd, String name) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            if ((int) UNLINKAT.invokeExact(capture, dirfd, arena.allocateFrom(name), 0) < 0) {
                throw new ErrnoException("unlinkat", name, NativeCalls.errno(capture));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** linkat(2): gives a file a new name; never replaces an existing one (EEXIST). */
    public static void linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags)
            throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            int result = (int) LINKAT.invokeExact(
                    capture, olddirfd, arena.allocateFrom(oldpath), newdirfd, arena.allocateFrom(newpath), flags);
            if (result < 0) {
                throw new ErrnoException("linkat", newpath, NativeCalls.errno(capture));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** open(2) on the calling OS thread, which is what the detectors' learn map keys on. */
    public static int open(String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            int fd = (int) OPEN.invokeExact(capture, arena.allocateFrom(path), flags);
            if (fd < 0) {
                throw new ErrnoException("open", path, NativeCalls.errno(capture));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
