package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java views must match bpf/beesting.h byte for byte, or every event is misread. */
class BpfLayoutsTest {
    private static final Path HEADER = Path.of("..", "bpf", "beesting.h");
    private static final Pattern FIELD =
            Pattern.compile("^\\s*(__u64|__u32|char|struct \\w+)\\s+(\\w+)(?:\\[(\\w+)])?;");

    static Object[][] layouts() {
        return new Object[][] {
            {BpfLayouts.KEY},
            {BpfLayouts.TOKEN},
            {BpfLayouts.ANCESTOR},
            {BpfLayouts.EVENT},
            {BpfLayouts.SETTINGS},
            {BpfLayouts.LEARNED}
        };
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void javaLayoutHasTheOffsetsAndSizeOfTheCStruct(StructLayout layout) throws IOException {
        String header = Files.readString(HEADER);
        Map<String, long[]> cFields = cLayout(header, layout.name().orElseThrow());

        Map<String, long[]> javaFields = new LinkedHashMap<>();
        for (MemoryLayout member : layout.memberLayouts()) {
            String name = member.name().orElseThrow();
            long offset = layout.byteOffset(MemoryLayout.PathElement.groupElement(name));
            javaFields.put(name, new long[] {offset, member.byteSize()});
        }

        assertThat(javaFields.keySet()).containsExactlyElementsOf(cFields.keySet());
        javaFields.forEach((name, offsetAndSize) -> assertThat(offsetAndSize)
                .as("offset and size of %s.%s", layout.name().orElseThrow(), name)
                .containsExactly(cFields.get(name)));
        long cSize = cFields.values().stream().mapToLong(f -> f[0] + f[1]).max().orElseThrow();
        assertThat(layout.byteSize()).isEqualTo(align(cSize, 8));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void cStructHasNoImplicitPadding(StructLayout layout) throws IOException {
        // explicit pad fields keep the layout identical for clang's BPF target and the JVM's x86_64 view
        long offset = 0;
        for (long[] field :
                cLayout(Files.readString(HEADER), layout.name().orElseThrow()).values()) {
            assertThat(field[0]).isEqualTo(offset);
            offset += field[1];
        }
    }

    @Test
    void tierNumbersInTheHeaderAreTheJavaTierOrdinals() throws IOException {
        Matcher tier = Pattern.compile("BEESTING_TIER_(\\w+) = (\\d+)").matcher(Files.readString(HEADER));
        int seen = 0;
        while (tier.find()) {
            assertThat(Tier.valueOf(tier.group(1)).ordinal()).isEqualTo(Integer.parseInt(tier.group(2)));
            seen++;
        }
        assertThat(seen).isEqualTo(4);
    }

    @Test
    void statSlotsMatchTheHeader() throws IOException {
        String header = Files.readString(HEADER);
        assertThat(constantOf(header, "BEESTING_STAT_HITS")).isEqualTo(BpfLayouts.STAT_HITS);
        assertThat(constantOf(header, "BEESTING_STAT_EMITTED")).isEqualTo(BpfLayouts.STAT_EMITTED);
        assertThat(constantOf(header, "BEESTING_STAT_RATE_LIMITED")).isEqualTo(BpfLayouts.STAT_RATE_LIMITED);
        assertThat(constantOf(header, "BEESTING_STAT_RINGBUF_FULL")).isEqualTo(BpfLayouts.STAT_RINGBUF_FULL);
    }

    private static int constantOf(String header, String name) {
        Matcher m = Pattern.compile(name + " = (\\d+)").matcher(header);
        assertThat(m.find()).as(name).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Natural-alignment offsets of a struct in the header, as clang lays it out. */
    private static Map<String, long[]> cLayout(String header, String struct) {
        Matcher body = Pattern.compile("struct " + struct + " \\{(.*?)\\n};", Pattern.DOTALL)
                .matcher(header);
        assertThat(body.find()).as("struct %s in %s", struct, HEADER).isTrue();
        Map<String, long[]> fields = new LinkedHashMap<>();
        long offset = 0;
        for (String line : body.group(1).split("\n")) {
            Matcher field = FIELD.matcher(line);
            if (!field.find()) {
                continue;
            }
            String type = field.group(1);
            // a nested record (all of them hold a __u64) is 8-aligned and as long as its own fields
            long size = switch (type) {
                case "__u64" -> 8;
                case "__u32" -> 4;
                case "char" -> 1;
                default ->
                    align(
                            cLayout(header, type.substring("struct ".length())).values().stream()
                                    .mapToLong(f -> f[0] + f[1])
                                    .max()
                                    .orElseThrow(),
                            8);
            };
            long alignment = type.startsWith("struct ") ? 8 : size;
            long count = field.group(3) == null ? 1 : constant(header, field.group(3));
            offset = align(offset, alignment);
            fields.put(field.group(2), new long[] {offset, size * count});
            offset += size * count;
        }
        return fields;
    }

    private static long constant(String header, String name) {
        if (name.matches("\\d+")) {
            return Long.parseLong(name);
        }
        Matcher define = Pattern.compile("#define " + name + " (\\d+)").matcher(header);
        assertThat(define.find()).as("#define %s", name).isTrue();
        return Long.parseLong(define.group(1));
    }

    private static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
