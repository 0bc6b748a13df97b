package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.agent.testing.RealParts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** libbpf's own messages reach the agent's log (slf4j-simple, which writes to the current System.err). */
class LibbpfLogIT {

    @Test
    void aMessageLibbpfPrintsIsFormattedAndLoggedAsAWarning() throws Exception {
        requireLibbpf();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment notAnElfObject = arena.allocateFrom("this is not an ELF object");

            assertThatThrownBy(() -> Libbpf.openMem(notAnElfObject))
                    .isInstanceOf(BpfException.class)
                    .hasMessageStartingWith("bpf_object__open_mem failed: ");
        } finally {
            System.setErr(original);
        }

        // libbpf's format has %s arguments, so a line without '%' proves vsnprintf consumed the va_list
        assertThat(captured.toString(StandardCharsets.UTF_8).lines())
                .filteredOn(line -> line.contains("WARN " + LibbpfLog.class.getName() + " - libbpf: "))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).doesNotContain("%").doesNotEndWith("\n"));
    }

    private static void requireLibbpf() {
        try {
            Libbpf.require();
        } catch (IOException e) {
            RealParts.require(false, e.getMessage());
        }
    }
}
