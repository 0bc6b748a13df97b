package dev.beesting.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Extra request headers for the webhook, such as a bearer token, from a file (a mounted Secret) or from
 * environment variables (fed by a Secret). Their values are secrets: never logged, and errors name only the header.
 */
public final class WebhookHeaders {
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final int MAX_VALUE = 8192;
    private static final int MAX_FILE = 65_536;
    /** Headers the sender sets itself or the HTTP client refuses. */
    private static final Set<String> RESERVED =
            Set.of("content-type", "content-length", "host", "connection", "expect", "upgrade", "transfer-encoding");

    private WebhookHeaders() {}

    /**
     * Reads {@code Name: value} lines; blank lines and lines starting with {@code #} are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a malformed header
     */
    public static Map<String, String> fromFile(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE) {
            throw new IllegalArgumentException(file + ": larger than " + MAX_FILE + " bytes");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 'Name: value'");
            }
            String name = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            try {
                check(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
            headers.put(name, value);
        }
        return headers;
    }

    /**
     * One header whose value is the environment variable named in {@code spec}, {@code Name=VARIABLE}.
     *
     * @throws IllegalArgumentException when the spec is malformed or the variable unset
     */
    public static Map.Entry<String, String> fromEnvironment(String spec, Map<String, String> environment) {
        int equals = spec.indexOf('=');
        if (equals <= 0 || equals == spec.length() - 1) {
            throw new IllegalArgumentException("expected Name=VARIABLE, got '" + spec + "'");
        }
        String name = spec.substring(0, equals);
        String variable = spec.substring(equals + 1);
        String value = environment.get(variable);
        if (value == null) {
            throw new IllegalArgumentException("header " + name + ": environment variable " + variable + " is not set");
        }
        check(name, value.strip());
        return Map.entry(name, value.strip());
    }

    /** @throws IllegalArgumentException naming the header (never its value) */
    static void check(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
        }
        if (RESERVED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("header " + name + " is set by the agent or the decoy itself");
        }
        if (value.length() > MAX_VALUE || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("header " + name + ": value too long or holds a line break");
        }
    }
}
