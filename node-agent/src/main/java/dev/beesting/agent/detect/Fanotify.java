package dev.beesting.agent.detect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.beesting.agent.sys.Errno;
import dev.beesting.agent.sys.Libc;
import dev.beesting.agent.sys.NativeCalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * One fanotify group (FFM over libc): inode marks for open-permission events, reading events and answering them.
 * Closing it releases the group, which makes the kernel allow every open still waiting for an answer.
 */
final class Fanotify implements AutoCloseable {
    static final int FAN_CLOEXEC = 0x1;
    static final int FAN_CLASS_CONTENT = 0x4;
    static final int FAN_UNLIMITED_QUEUE = 0x10;
    static final int FAN_REPORT_TID = 0x100;
    static final int FAN_MARK_ADD = 0x1;
    static final int FAN_MARK_REMOVE = 0x2;
    static final long FAN_OPEN_PERM = 0x10000L;
    static final long FAN_Q_OVERFLOW = 0x4000L;
    static final int FAN_ALLOW = 0x1;
    static final int FAN_DENY = 0x2;
    static final int FAN_NOFD = -1;
    static final int O_LARGEFILE = 0x8000;
    static final int AT_FDCWD = -100;

    /** struct fanotify_event_metadata: event_len(4) vers(1) reserved(1) metadata_len(2) mask(8) fd(4) pid(4). */
    static final int METADATA_EVENT_LEN = 0;

    static final int METADATA_LEN = 6;
    static final int METADATA_MASK = 8;
    static final int METADATA_FD = 16;
    static final int METADATA_PID = 20;
    static final int METADATA_SIZE = 24;

    private static final short POLLIN = 0x1;
    private static final SymbolLookup LIBC = NativeCalls.LINKER.defaultLookup();
    private static final MethodHandle INIT =
            NativeCalls.functionWithErrno(LIBC, "fanotify_init", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle MARK = NativeCalls.functionWithErrno(
            LIBC, "fanotify_mark", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, ADDRESS));
    private static final MethodHandle READ =
            NativeCalls.functionWithErrno(LIBC, "read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = NativeCalls.functionWithErrno(
            LIBC, "write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle POLL =
            NativeCalls.functionWithErrno(LIBC, "poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    private final int fd;
    // a closed descriptor's number is soon reused: nothing may be written to it after close
    private boolean closed;

    private Fanotify(int fd) {
        this.fd = fd;
    }

    /** A content-class group (permission events) reporting thread ids, with an unbounded queue. */
    static Fanotify open() throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            int fd = (int) INIT.invokeExact(
                    capture,
                    FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_UNLIMITED_QUEUE | FAN_REPORT_TID,
                    Libc.O_RDONLY | O_LARGEFILE | Libc.O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("fanotify_init failed: " + Errno.name(NativeCalls.errno(capture)));
            }
            return new Fanotify(fd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Adds an inode mark for open-permission events on the file open as {@code fileFd}. */
    void markInode(int fileFd) throws IOException {
        mark(FAN_MARK_ADD, fileFd);
    }

    void unmarkInode(int fileFd) throws IOException {
        mark(FAN_MARK_REMOVE, fileFd);
    }

    private synchronized void mark(int flags, int fileFd) throws IOException {
        if (closed) {
            throw new IOException("fanotify group closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            // NULL path: the mark goes on the object behind fileFd itself
            int rc = (int) MARK.invokeExact(capture, fd, flags, FAN_OPEN_PERM, fileFd, MemorySegment.NULL);
            if (rc < 0) {
                throw new IOException("fanotify_mark failed: " + Errno.name(NativeCalls.errno(capture)));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for events; returns whether some are ready. */
    boolean await(int timeoutMillis) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, POLLIN);
            int rc = (int) POLL.invokeExact(capture, pollfd, 1L, timeoutMillis);
            if (rc < 0) {
                int errno = NativeCalls.errno(capture);
                if (errno == 4) {
                    return false;
                }
                throw new IOException("poll on fanotify failed: " + Errno.name(errno));
            }
            return rc > 0;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Reads whole events into {@code buffer}; returns the bytes read. */
    int read(MemorySegment buffer) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            long n = (long) READ.invokeExact(capture, fd, buffer, buffer.byteSize());
            if (n < 0) {
                int errno = NativeCalls.errno(capture);
                if (errno == 4 || errno == 11) {
                    return 0;
                }
                throw new IOException("read from fanotify failed: " + Errno.name(errno));
            }
            return (int) n;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Answers a permission event; the opener stays blocked until this is written. */
    synchronized void respond(int eventFd, boolean allow) throws IOException {
        if (closed) {
            throw new IOException("fanotify group closed, the kernel allowed the open");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment response = arena.allocate(8, 4);
            response.set(JAVA_INT, 0, eventFd);
            response.set(JAVA_INT, 4, allow ? FAN_ALLOW : FAN_DENY);
            long n = (long) WRITE.invokeExact(capture, fd, response, 8L);
            if (n != 8) {
                throw new IOException("answering fanotify event failed: " + Errno.name(NativeCalls.errno(capture)));
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Libc.close(fd);
    }
}
