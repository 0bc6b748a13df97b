package dev.beesting.agent.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Shared plumbing of every FFM binding class (libc, libbpf, fanotify): symbol lookup, errno capture and the
 * native-access check.
 */
public final class NativeCalls {
    public static final Linker LINKER = Linker.nativeLinker();

    /** Layout of the call state that {@link Linker.Option#captureCallState} writes errno into. */
    public static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();

    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private NativeCalls() {}

    /** Fails with one clear message instead of a JVM warning or an obscure error deep inside a call. */
    public static void requireNativeAccess() {
        if (!NativeCalls.class.getModule().isNativeAccessEnabled()) {
            throw new IllegalStateException(
                    "native access is disabled: run java with --enable-native-access=ALL-UNNAMED (needed for libbpf and fanotify)");
        }
    }

    public static SymbolLookup library(String soname) {
        requireNativeAccess();
        try {
            return SymbolLookup.libraryLookup(soname, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot load " + soname + ": " + e.getMessage(), e);
        }
    }

    public static MethodHandle function(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        requireNativeAccess();
        MemorySegment symbol =
                lookup.find(name).orElseThrow(() -> new IllegalStateException("native symbol " + name + " not found"));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** A downcall whose first argument is the capture segment that receives errno. */
    public static MethodHandle functionWithErrno(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        requireNativeAccess();
        MemorySegment symbol =
                lookup.find(name).orElseThrow(() -> new IllegalStateException("native symbol " + name + " not found"));
        return LINKER.downcallHandle(symbol, descriptor, CAPTURE_ERRNO);
    }

    public static MemorySegment allocateCapture(Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    public static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
}
