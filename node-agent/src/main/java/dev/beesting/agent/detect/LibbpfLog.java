package dev.beesting.agent.detect;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.beesting.agent.sys.NativeCalls;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libbpf's own messages ({@code libbpf_set_print}) in the agent's log, so that the verifier's or the kernel's reason
 * for refusing a program is not lost. libbpf hands a printf format and a {@code va_list}, which Java cannot walk
 * portably, so libc's {@code vsnprintf} formats it into a bounded buffer. Levels: libbpf's WARN is logged as warn,
 * INFO as info, DEBUG as debug; a message whose level is off is not formatted at all.
 */
final class LibbpfLog {
    private static final Logger log = LoggerFactory.getLogger(LibbpfLog.class);

    /** enum libbpf_print_level. */
    static final int LIBBPF_WARN = 0;

    static final int LIBBPF_INFO = 1;

    /** Longest message kept, NUL included; a verifier log can run to megabytes. */
    static final int MAX_MESSAGE = 8192;

    /**
     * libbpf_print_fn_t: {@code int (*)(enum libbpf_print_level, const char *format, va_list args)}. On x86_64 a
     * {@code va_list} parameter is a pointer to the caller's list, so it travels as an address.
     */
    private static final FunctionDescriptor PRINT_FN = FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);

    private static final MethodHandle VSNPRINTF = NativeCalls.LINKER.downcallHandle(
            NativeCalls.LINKER.defaultLookup().find("vsnprintf").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS));

    /** The callback handed to libbpf; in the global arena because libbpf keeps it for the life of the process. */
    static final MemorySegment PRINTER;

    static {
        try {
            MethodHandle print = MethodHandles.lookup()
                    .findStatic(
                            LibbpfLog.class,
                            "print",
                            MethodType.methodType(int.class, int.class, MemorySegment.class, MemorySegment.class));
            PRINTER = NativeCalls.LINKER.upcallStub(print, PRINT_FN, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private LibbpfLog() {}

    /** The upcall; it runs on whichever thread called libbpf, and nothing may escape it (that would kill the JVM). */
    private static int print(int level, MemorySegment format, MemorySegment args) {
        try {
            if (level == LIBBPF_WARN && log.isWarnEnabled()) {
                log.warn("{}", format(format, args));
            } else if (level == LIBBPF_INFO && log.isInfoEnabled()) {
                log.info("{}", format(format, args));
            } else if (level > LIBBPF_INFO && log.isDebugEnabled()) {
                log.debug("{}", format(format, args));
            }
        } catch (Throwable t) {
            try {
                log.warn("cannot format a libbpf message level={}", level, t);
            } catch (Throwable ignored) {
                // the log itself failed; there is nowhere left to say so
            }
        }
        return 0;
    }

    /** Formats libbpf's message, without its final newline, cut at {@link #MAX_MESSAGE} bytes with a note. */
    private static String format(MemorySegment format, MemorySegment args) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(MAX_MESSAGE);
            int length = (int) VSNPRINTF.invokeExact(buffer, (long) MAX_MESSAGE, format, args);
            if (length < 0) {
                return "libbpf: a message vsnprintf could not format";
            }
            String text = buffer.getString(0).stripTrailing();
            return length < MAX_MESSAGE ? text : text + " ... (cut, " + length + " bytes in all)";
        }
    }
}
