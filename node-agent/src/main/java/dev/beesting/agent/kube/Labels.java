package dev.beesting.agent.kube;

/** Label keys the agent puts on what it writes, and a clamp that turns any string into a valid label value. */
final class Labels {
    static final String POLICY = "beesting.dev/policy";
    static final String POD = "beesting.dev/pod";
    static final String NODE = "beesting.dev/node";
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String AGENT = "beesting-agent";

    private static final int MAX = 63;

    private Labels() {}

    /** At most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric (empty if nothing is left). */
    static String value(String raw) {
        if (raw == null) {
            return "";
        }
        String value = raw.replaceAll("[^A-Za-z0-9._-]", "-");
        if (value.length() > MAX) {
            value = value.substring(0, MAX);
        }
        return value.replaceAll("^[^A-Za-z0-9]+|[^A-Za-z0-9]+$", "");
    }
}
