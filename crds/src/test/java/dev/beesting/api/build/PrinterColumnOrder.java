package dev.beesting.api.build;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Build step after fabric8's CRD generator, which sorts printer columns by JSON path (so AGE came second): puts them
 * in the order the {@link AdditionalPrinterColumn} annotations are declared, which is the order kubectl shows. Works
 * on the generated text, so the generator's formatting stays. Run by the crds module's build
 * ({@code process-test-classes}) over {@code target/generated-crds}.
 */
public final class PrinterColumnOrder {
    private static final String MODEL = "dev.beesting.api.v1alpha1.";
    private static final String ITEM = "    - ";
    private static final String CONTINUATION = "      ";

    private PrinterColumnOrder() {}

    public static void main(String[] args) throws IOException, ClassNotFoundException {
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                Files.write(file, reorder(Files.readAllLines(file)));
            }
        }
    }

    static List<String> reorder(List<String> lines) throws ClassNotFoundException {
        String kind = lines.stream()
                .filter(l -> l.startsWith("    kind: "))
                .findFirst()
                .orElseThrow()
                .substring("    kind: ".length())
                .replace("\"", "");
        List<String> declared = Arrays.stream(
                        Class.forName(MODEL + kind).getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name)
                .toList();
        int start = lines.indexOf("  - additionalPrinterColumns:") + 1;
        if (start == 0) {
            return lines;
        }
        List<List<String>> columns = new ArrayList<>();
        int end = start;
        while (end < lines.size()
                && (lines.get(end).startsWith(ITEM) || lines.get(end).startsWith(CONTINUATION))) {
            if (lines.get(end).startsWith(ITEM)) {
                columns.add(new ArrayList<>());
            }
            columns.getLast().add(lines.get(end));
            end++;
        }
        columns.sort((a, b) -> Integer.compare(declared.indexOf(name(a)), declared.indexOf(name(b))));
        List<String> out = new ArrayList<>(lines.subList(0, start));
        columns.forEach(out::addAll);
        out.addAll(lines.subList(end, lines.size()));
        return out;
    }

    private static String name(List<String> column) {
        return column.stream()
                .map(String::strip)
                .map(l -> l.startsWith("- ") ? l.substring(2) : l)
                .filter(l -> l.startsWith("name: "))
                .findFirst()
                .orElseThrow()
                .substring("name: ".length())
                .replace("\"", "");
    }
}
