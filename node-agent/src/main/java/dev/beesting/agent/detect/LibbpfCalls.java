package dev.beesting.agent.detect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.beesting.agent.sys.NativeCalls;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The libbpf downcall handles, looked up once. A class of its own so that a missing or broken libbpf fails this
 * class's initialisation only, which {@link Libbpf} turns into a refusal of the BPF tiers instead of an
 * {@code Error} that would stop tier selection. Initialising it also routes libbpf's log to the agent's
 * ({@link LibbpfLog}).
 */
final class LibbpfCalls {
    static final SymbolLookup LIB = load();

    static final MethodHandle SET_PRINT =
            NativeCalls.function(LIB, "libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle OBJECT_OPEN_MEM = NativeCalls.functionWithErrno(
            LIB, "bpf_object__open_mem", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    static final MethodHandle OBJECT_LOAD =
            NativeCalls.function(LIB, "bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle OBJECT_CLOSE =
            NativeCalls.function(LIB, "bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle FIND_PROGRAM = NativeCalls.function(
            LIB, "bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle SET_AUTOLOAD = NativeCalls.function(
            LIB, "bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
    static final MethodHandle PROGRAM_ATTACH =
            NativeCalls.functionWithErrno(LIB, "bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle LINK_DESTROY =
            NativeCalls.function(LIB, "bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle FIND_MAP =
            NativeCalls.function(LIB, "bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle MAP_FD =
            NativeCalls.function(LIB, "bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    static final MethodHandle MAP_UPDATE = NativeCalls.function(
            LIB,
            "bpf_map__update_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle MAP_LOOKUP = NativeCalls.function(
            LIB,
            "bpf_map__lookup_elem",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle MAP_DELETE = NativeCalls.function(
            LIB, "bpf_map__delete_elem", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG));
    static final MethodHandle RING_BUFFER_NEW = NativeCalls.functionWithErrno(
            LIB, "ring_buffer__new", FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    static final MethodHandle RING_BUFFER_POLL =
            NativeCalls.function(LIB, "ring_buffer__poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    static final MethodHandle RING_BUFFER_FREE =
            NativeCalls.function(LIB, "ring_buffer__free", FunctionDescriptor.ofVoid(ADDRESS));

    static {
        // libbpf's own messages (the verifier's reasons among them) go to the agent's log, not to stderr
        try {
            MemorySegment previous = (MemorySegment) SET_PRINT.invokeExact(LibbpfLog.PRINTER);
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    private LibbpfCalls() {}

    private static SymbolLookup load() {
        try {
            return NativeCalls.library(Libbpf.LIBRARY);
        } catch (IllegalStateException e) {
            // dlopen says the same for an absent file and for one that is no loadable library
            boolean present = Libbpf.LIBRARY.contains("/") && Files.exists(Path.of(Libbpf.LIBRARY));
            throw new IllegalStateException(
                    (present ? "libbpf cannot be loaded: " : "libbpf not found: ") + e.getMessage()
                            + " (install libbpf 1.x or name it with -D" + Libbpf.LIBRARY_PROPERTY + "=PATH)",
                    e);
        }
    }
}
