package dev.beesting.agent.detect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.beesting.agent.sys.NativeCalls;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * FFM bindings to the libbpf 1.x calls the agent uses. Pointer-returning calls report failure as NULL plus errno
 * (captured); int-returning calls return {@code -errno}. Every failure becomes a {@link BpfException}. The library
 * is {@code libbpf.so.1} unless the system property {@value #LIBRARY_PROPERTY} names another; when it cannot be
 * loaded, {@link #require()} says so and the BPF tiers are refused.
 */
final class Libbpf {
    /** System property naming the libbpf to load: a file name searched like dlopen(3) does, or a path. */
    static final String LIBRARY_PROPERTY = "beesting.libbpf";

    static final String LIBRARY = System.getProperty(LIBRARY_PROPERTY, "libbpf.so.1");

    /** Signature of libbpf's ring_buffer_sample_fn: {@code int (*)(void *ctx, void *data, size_t size)}. */
    static final FunctionDescriptor SAMPLE_FN = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);

    static final long BPF_ANY = 0;
    static final long BPF_NOEXIST = 1;

    /** Why libbpf cannot be used here, or null; decided once, the first time a BPF tier is tried. */
    private static final String UNUSABLE = bind();

    private Libbpf() {}

    private static String bind() {
        try {
            // the first use initialises the bindings: loads the library, finds every call, installs the log
            return LibbpfCalls.SET_PRINT == null ? "libbpf " + LIBRARY + " is unusable: no libbpf_set_print" : null;
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            String message = String.valueOf(cause.getMessage());
            return message.startsWith("libbpf ") ? message : "libbpf " + LIBRARY + " is unusable: " + message;
        } catch (LinkageError e) {
            return "libbpf " + LIBRARY + " is unusable: " + e;
        }
    }

    /**
     * Fails with one sentence when libbpf is missing or lacks a call the agent needs; every other method of this
     * class may be called only after this one succeeded.
     */
    static void require() throws IOException {
        if (UNUSABLE != null) {
            throw new IOException(UNUSABLE);
        }
    }

    static MemorySegment openMem(MemorySegment object) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment obj = (MemorySegment)
                    LibbpfCalls.OBJECT_OPEN_MEM.invokeExact(capture, object, object.byteSize(), MemorySegment.NULL);
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
        check("bpf_object__load", invokeInt(LibbpfCalls.OBJECT_LOAD, obj));
    }

    static void close(MemorySegment obj) {
        try {
            LibbpfCalls.OBJECT_CLOSE.invokeExact(obj);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment findProgram(MemorySegment obj, String name) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment prog = (MemorySegment) LibbpfCalls.FIND_PROGRAM.invokeExact(obj, arena.allocateFrom(name));
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
            check("bpf_program__set_autoload", (int) LibbpfCalls.SET_AUTOLOAD.invokeExact(prog, autoload));
        } catch (BpfException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static MemorySegment attach(MemorySegment prog) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = NativeCalls.allocateCapture(arena);
            MemorySegment link = (MemorySegment) LibbpfCalls.PROGRAM_ATTACH.invokeExact(capture, prog);
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
        invokeInt(LibbpfCalls.LINK_DESTROY, link);
    }

    static MemorySegment findMap(MemorySegment obj, String name) throws BpfException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = (MemorySegment) LibbpfCalls.FIND_MAP.invokeExact(obj, arena.allocateFrom(name));
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
        return invokeInt(LibbpfCalls.MAP_FD, map);
    }

    static void update(MemorySegment map, MemorySegment key, MemorySegment value, long flags) throws BpfException {
        try {
            int rc = (int) LibbpfCalls.MAP_UPDATE.invokeExact(map, key, key.byteSize(), value, value.byteSize(), flags);
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
            int rc = (int) LibbpfCalls.MAP_LOOKUP.invokeExact(map, key, key.byteSize(), value, value.byteSize(), 0L);
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
            int rc = (int) LibbpfCalls.MAP_DELETE.invokeExact(map, key, key.byteSize(), 0L);
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
            MemorySegment rb = (MemorySegment) LibbpfCalls.RING_BUFFER_NEW.invokeExact(
                    capture, mapFd, sampleFn, MemorySegment.NULL, MemorySegment.NULL);
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
            return (int) LibbpfCalls.RING_BUFFER_POLL.invokeExact(rb, timeoutMillis);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void freeRingBuffer(MemorySegment rb) {
        try {
            LibbpfCalls.RING_BUFFER_FREE.invokeExact(rb);
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
