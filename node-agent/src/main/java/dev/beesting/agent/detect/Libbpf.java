package dev.beesting.agent.detect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.beesting.agent.sys.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * FFM bindings to the libbpf 1.x calls the agent uses. Pointer-returning calls report failure as NULL plus errno
 * (captured); int-returning calls return {@code -errno}. Every failure becomes a {@link BpfException}.
 */
final class Libbpf {
    private static final SymbolLookup LIB = NativeCalls.library("libbpf.so.1");

    private static final MethodHandle SET_PRINT =
            NativeCalls.function(LIB, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle OBJECT_OPEN_MEM = NativeCalls.functionWithErrno(
            LIB, "bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle OBJECT_LOAD =
            NativeCalls.function(LIB, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle OBJECT_CLOSE =
            NativeCalls.function(LIB, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    private static final MethodHandle FIND_PROGRAM = NativeCalls.function(
            LIB, "bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SET_AUTOLOAD = NativeCalls.function(
            LIB, "bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
    private static final MethodHandle PROGRAM_ATTACH =
            NativeCalls.functionWithErrno(LIB, "bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
    private static final MethodHandle LINK_DESTROY =
            NativeCalls.function(LIB, "bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle FIND_MAP =
            NativeCalls.function(LIB, "bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle MAP_FD =
            NativeCalls.function(LIB, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MAP_UPDATE = NativeCalls.function(
            LIB,
            "bpf_map__update_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MAP_LOOKUP = NativeCalls.function(
            LIB,
            "bpf_map__lookup_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MAP_DELETE = NativeCalls.function(
            LIB, "bpf_map__delete_elem", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle RING_BUFFER_NEW = NativeCalls.functionWithErrno(
            LIB, "ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle RING_BUFFER_POLL =
            NativeCalls.function(LIB, "ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RING_BUFFER_FREE =
            NativeCalls.function(LIB, "ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));

    /** Signature of libbpf's ring_buffer_sample_fn: {@code int (*)(void *ctx, void *data, size_t size)}. */
    static final FunctionDescriptor SAMPLE_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);

    static final long BPF_ANY = 0;
    static final long BPF_NOEXIST = 1;

    static {
        // libbpf's default printer writes verifier chatter to stderr; failures are reported through errno instead.
        try {
            MemorySegment ignored = (MemorySegment) SET_PRINT.invokeExact(MemorySegment.NULL);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    private Libbpf() {}

    static MemorySegment openMem(MemorySegment object) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment obj =
                    (MemorySegment) OBJECT_OPEN_MEM.invokeExact(capture, object, object.byteSize(), MemorySegment.NULL);
            if (isNull(obj)) {
                throw new BpfException("bpf_object__open_mem", -NativeCalls.errno(capture));
            }
            return obj;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void load(MemorySegment obj) throws BpfException {
        check("bpf_object__load", invokeInt(OBJECT_LOAD, obj));
    }

    static void close(MemorySegment obj) {
        try {
            OBJECT_CLOSE.invokeExact(obj);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment findProgram(MemorySegment obj, String name) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prog = (MemorySegment) FIND_PROGRAM.invokeExact(obj, arena.allocateFrom(name));
            if (isNull(prog)) {
                throw new BpfException("bpf_object__find_program_by_name " + name, -2);
            }
            return prog;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void setAutoload(MemorySegment prog, boolean autoload) throws BpfException {
        try {
            check("bpf_program__set_autoload", (int) SET_AUTOLOAD.invokeExact(prog, autoload));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment attach(MemorySegment prog) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment link = (MemorySegment) PROGRAM_ATTACH.invokeExact(capture, prog);
            if (isNull(link)) {
                throw new BpfException("bpf_program__attach", -NativeCalls.errno(capture));
            }
            return link;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void destroyLink(MemorySegment link) {
        invokeInt(LINK_DESTROY, link);
    }

    static MemorySegment findMap(MemorySegment obj, String name) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = (MemorySegment) FIND_MAP.invokeExact(obj, arena.allocateFrom(name));
            if (isNull(map)) {
                throw new BpfException("bpf_object__find_map_by_name " + name, -2);
            }
            return map;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int mapFd(MemorySegment map) {
        return invokeInt(MAP_FD, map);
    }

    static void update(MemorySegment map, MemorySegment key, MemorySegment value, long flags) throws BpfException {
        try {
            int rc = (int) MAP_UPDATE.invokeExact(map, key, key.byteSize(), value, value.byteSize(), flags);
            check("bpf_map__update_elem", rc);
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Returns false when the key is absent. */
    static boolean lookup(MemorySegment map, MemorySegment key, MemorySegment value) throws BpfException {
        try {
            int rc = (int) MAP_LOOKUP.invokeExact(map, key, key.byteSize(), value, value.byteSize(), 0L);
            if (rc == -2) {
                return false;
            }
            check("bpf_map__lookup_elem", rc);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Returns false when the key was absent. */
    static boolean delete(MemorySegment map, MemorySegment key) throws BpfException {
        try {
            int rc = (int) MAP_DELETE.invokeExact(map, key, key.byteSize(), 0L);
            if (rc == -2) {
                return false;
            }
            check("bpf_map__delete_elem", rc);
            return true;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment ringBufferNew(int mapFd, MemorySegment sampleFn) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment rb = (MemorySegment)
                    RING_BUFFER_NEW.invokeExact(capture, mapFd, sampleFn, MemorySegment.NULL, MemorySegment.NULL);
            if (isNull(rb)) {
                throw new BpfException("ring_buffer__new", -NativeCalls.errno(capture));
            }
            return rb;
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Returns the number of records consumed, or {@code -errno} (-EINTR is harmless). */
    static int poll(MemorySegment rb, int timeoutMillis) {
        try {
            return (int) RING_BUFFER_POLL.invokeExact(rb, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void freeRingBuffer(MemorySegment rb) {
        try {
            RING_BUFFER_FREE.invokeExact(rb);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static int invokeInt(MethodHandle handle, MemorySegment arg) {
        try {
            return (int) handle.invokeExact(arg);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void check(String call, int rc) throws BpfException {
        if (rc < 0) {
            throw new BpfException(call, rc);
        }
    }

    private static boolean isNull(MemorySegment pointer) {
        return pointer.address() == 0;
    }
}
