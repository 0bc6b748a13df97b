package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One token file: exactly one of {@code value} (a literal, or a resolved Secret value) and {@code template}
 * (rendered by the agent per container).
 *
 * @param path absolute path inside the container
 * @param mode octal mode string, e.g. {@code 0444}
 * @param value literal content, or null
 * @param template per-container template, or null
 * @param decoyServer the decoy URL the token's decoy credentials name instead of the in-cluster one, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompiledToken(String path, String mode, String value, String template, String decoyServer) {
    public static final String DEFAULT_MODE = "0444";

    public CompiledToken {
        mode = mode == null ? DEFAULT_MODE : mode;
    }

    public CompiledToken(String path, String mode, String value, String template) {
        this(path, mode, value, template, null);
    }

    /** The mode as permission bits. */
    public int modeBits() {
        return Integer.parseInt(mode, 8);
    }
}
