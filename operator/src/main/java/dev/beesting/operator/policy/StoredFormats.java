package dev.beesting.operator.policy;

/**
 * Which node config formats a compilation stores. v4 (index plus one object per policy) whenever its namespace exists;
 * v2 while v4 cannot be stored or some node has not reported reading v4; v1 while some node has not reported reading
 * v2 or newer (an agent of an earlier release, during an upgrade or on a node left behind). An agent that reports v3
 * (never released) reads v2, and gets it.
 *
 * @param v1 the v1 document (namespaces by name)
 * @param v2 the v2 document (namespace selectors)
 * @param v4 the v4 index and the per-policy objects
 */
public record StoredFormats(boolean v1, boolean v2, boolean v4) {
    /** A cluster without the policy-object namespace whose nodes all read v2. */
    public static final StoredFormats V2 = new StoredFormats(false, true, false);

    /**
     * @param v4Possible whether the policy-object namespace exists
     * @param someNodeBeforeV2 whether some node reads none of v2 and newer
     * @param someNodeBeforeV4 whether some node does not read v4
     */
    public static StoredFormats of(boolean v4Possible, boolean someNodeBeforeV2, boolean someNodeBeforeV4) {
        return new StoredFormats(someNodeBeforeV2, !v4Possible || someNodeBeforeV4, v4Possible);
    }

    /** For logs, e.g. {@code v2,v4}. */
    public String names() {
        return String.join(
                ",",
                java.util.stream.Stream.of(v1 ? "v1" : "", v2 ? "v2" : "", v4 ? "v4" : "")
                        .filter(s -> !s.isEmpty())
                        .toList());
    }
}
