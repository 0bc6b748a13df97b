package dev.beesting.api.nodeconfig;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Where and how node config format v4 stores one compiled policy: a Secret of its own in a namespace that holds
 * nothing else (so agents may list and watch Secrets there, and nowhere else), labelled so that one label-selected
 * watch sees them all, its document under {@link #DATA_KEY}, the generation of its write and of the index it needs
 * in annotations ({@link Stored}).
 */
public final class PolicyObject {
    /** The namespace of the policy objects unless configured otherwise. */
    public static final String DEFAULT_NAMESPACE = "beesting-node-config";
    /** The data key holding the compiled policy (format v2 shape, see {@link NodeConfigCodec#writePolicy}). */
    public static final String DATA_KEY = "policy.json";
    /** Annotation naming the policy (a label value cannot hold every policy name). */
    public static final String POLICY_ANNOTATION = "beesting.dev/policy";
    /** Annotation: the generation of the object's write. */
    public static final String GENERATION_ANNOTATION = "beesting.dev/config-generation";
    /** Annotation: the index generation that names the object (written with it, or current when it was written). */
    public static final String INDEX_GENERATION_ANNOTATION = "beesting.dev/index-generation";
    /** The label every policy object carries; agents and the operator select on it. */
    public static final String COMPONENT_LABEL = "app.kubernetes.io/component";

    public static final String COMPONENT = "node-config-policy";
    /** The labels of a policy object. */
    public static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/name",
            "beesting",
            COMPONENT_LABEL,
            COMPONENT,
            "app.kubernetes.io/managed-by",
            "beesting-operator");

    private static final String PREFIX = "beesting-policy-";
    // a Secret name is a DNS subdomain of at most 253 characters: prefix, name, '-', 10 hex digits
    private static final int MAX_NAME_PART = 253 - PREFIX.length() - 1 - 10;

    private PolicyObject() {}

    /**
     * What one policy object stores.
     *
     * @param document the compiled policy (format v2 shape, see {@link NodeConfigCodec#writePolicy})
     * @param generation the generation of the object's write (0 where not annotated)
     * @param indexGeneration the index generation the object needs: an agent holding an older index waits for it
     */
    public record Stored(String document, long generation, long indexGeneration) {
        /** What a Secret's annotations say, missing or unreadable numbers counting as 0. */
        public static Stored of(String document, Map<String, String> annotations) {
            return new Stored(
                    document,
                    number(annotations, GENERATION_ANNOTATION),
                    number(annotations, INDEX_GENERATION_ANNOTATION));
        }

        /** The annotations that say this object's generations. */
        public Map<String, String> annotations() {
            return Map.of(
                    GENERATION_ANNOTATION, Long.toString(generation),
                    INDEX_GENERATION_ANNOTATION, Long.toString(indexGeneration));
        }

        private static long number(Map<String, String> annotations, String key) {
            String value = annotations == null ? null : annotations.get(key);
            try {
                return value == null ? 0 : Math.max(0, Long.parseLong(value));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /**
     * The Secret name of a policy's object: the policy name, cut to fit, and a hash of the whole name, so that two
     * policies whose names share a long prefix still get two objects.
     */
    public static String secretName(String policyName) {
        String part = policyName.length() <= MAX_NAME_PART ? policyName : policyName.substring(0, MAX_NAME_PART);
        // a cut may end a DNS label with '.' or '-', which must be followed by an alphanumeric label start
        while (!part.isEmpty() && !Character.isLetterOrDigit(part.charAt(part.length() - 1))) {
            part = part.substring(0, part.length() - 1);
        }
        String hash = sha256Hex(policyName).substring(0, 10);
        return PREFIX + (part.isEmpty() ? "" : part + "-") + hash;
    }

    static String sha256Hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
