package dev.beesting.operator.policy;

/**
 * Which node config formats a compilation stores. v3 (index plus one object per policy) whenever its namespace exists;
 * v2 while v3 cannot be stored or some node has not reported reading v3; v1 while some node has not reported reading
 * v2 or v3 (an agent of an earlier release, during an upgrade or on a node left behind).
 *
 * @param v1 the v1 document (namespaces by name)
 * @param v2 the v2 document (namespace selectors)
 * @param v3 the v3 index and the per-policy objects
 */
public record StoredFormats(boolean v1, boolean v2, boolean v3) {
    /** A cluster without the policy-object namespace whose nodes all read v2. */
    public static final StoredFormats V2 = new StoredFormats(false, true, false);

    /**
     * @param v3Possible whether the policy-object namespace exists
     * @param someNodeBeforeV2 whether some node reads neither v2 nor v3
     * @param someNodeBeforeV3 whether some node does not read v3
     */
    public static StoredFormats of(boolean v3Possible, boolean someNodeBeforeV2, boolean someNodeBeforeV3) {
        return new StoredFormats(someNodeBeforeV2, !v3Possible || someNodeBeforeV3, v3Possible);
    }

    /** For logs, e.g. {@code v2,v3}. */
    public String names() {
        return String.join(
                ",",
                java.util.stream.Stream.of(v1 ? "v1" : "", v2 ? "v2" : "", v3 ? "v3" : "")
                        .filter(s -> !s.isEmpty())
                        .toList());
    }
}
