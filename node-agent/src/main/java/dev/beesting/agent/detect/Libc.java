package dev.beesting.agent.detect;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The few libc calls the detectors need beyond fanotify: thread id and a plain open/close for learning keys. */
final class Libc {
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int O_NONBLOCK = 0x800;

    private static final SymbolLookup LIBC = NativeCalls.LINKER.defaultLookup();
    private static final MethodHandle GETTID =
            NativeCalls.function(LIBC, "gettid", FunctionDescriptor.of(ValueLayout.JAVA_INT));
    private static final MethodHandle OPEN = NativeCalls.functionWithErrno(
            LIBC, "open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE =
            NativeCalls.function(LIBC, "close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private Libc() {}

    static int gettid() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** open(2) on the calling OS thread, which is what the learn map keys on. */
    static int open(String path, int flags) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            int fd = (int) OPEN.invokeExact(capture, arena.allocateFrom(path), flags);
            if (fd < 0) {
                throw new IOException("open " + path + ": " + Errno.name(NativeCalls.errno(capture)));
            }
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
