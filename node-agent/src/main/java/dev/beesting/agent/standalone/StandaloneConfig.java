package dev.beesting.agent.standalone;

import dev.beesting.agent.detect.AccessAction;
import java.nio.file.Path;
import java.util.List;

/**
 * A standalone run: host files to plant and watch, shaped like a HoneytokenPolicy's spec.
 *
 * @param tokens the files to plant, in config order
 * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
 * @param action what an open does: alert, or deny where the tier can
 * @param ignoreProcesses executables whose opens are not reported
 */
public record StandaloneConfig(
        List<TokenSpec> tokens, String severity, AccessAction action, List<String> ignoreProcesses) {

    /**
     * One file to plant.
     *
     * @param path absolute host path
     * @param content literal content, or a template rendered once at start
     * @param mode permission bits, 0444 by default
     */
    public record TokenSpec(Path path, Content content, int mode) {}

    /** Exactly one of a literal value and a template. */
    public sealed interface Content {
        record Value(String value) implements Content {}

        record Template(String template) implements Content {}
    }
}
