package dev.beesting.agent.standalone;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders token templates so every planted file holds a unique, plausible secret. Placeholders are
 * {@code {{ randAlphaNum N }}}, {@code {{ randAlpha N }}}, {@code {{ randNumeric N }}}, {@code {{ randUpper N }}}
 * (upper case letters and digits, as in AWS key ids), {@code {{ randHex N }}} and {@code {{ uuid }}}.
 */
public final class TokenTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(\\w+)(?:\\s+(\\d+))?\\s*}}");
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String DIGITS = "0123456789";
    private static final int MAX_LENGTH = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenTemplate() {}

    /** Throws IllegalArgumentException naming the first placeholder that cannot be rendered. */
    public static void validate(String template) {
        render(template);
    }

    public static String render(String template) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(expand(m.group(1), m.group(2))));
        }
        m.appendTail(out);
        if (out.indexOf("{{") >= 0) {
            throw new IllegalArgumentException("malformed placeholder in '" + template + "'");
        }
        return out.toString();
    }

    private static String expand(String function, String argument) {
        if (function.equals("uuid")) {
            return UUID.randomUUID().toString();
        }
        String alphabet = switch (function) {
            case "randAlphaNum" -> UPPER + LOWER + DIGITS;
            case "randAlpha" -> UPPER + LOWER;
            case "randNumeric" -> DIGITS;
            case "randUpper" -> UPPER + DIGITS;
            case "randHex" -> DIGITS + "abcdef";
            default -> throw new IllegalArgumentException("unknown function '" + function + "'");
        };
        if (argument == null) {
            throw new IllegalArgumentException(function + " needs a length, e.g. {{ " + function + " 16 }}");
        }
        int length = Integer.parseInt(argument);
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException(function + " length must be 1.." + MAX_LENGTH);
        }
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return value.toString();
    }
}
