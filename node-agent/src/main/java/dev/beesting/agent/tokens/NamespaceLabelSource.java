package dev.beesting.agent.tokens;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The labels of the namespaces on the node's side, for policies of node config format v2, whose namespace selectors
 * the agent matches itself. In a cluster it is the agent's watch of Namespaces; without an API server
 * ({@code --config-file}) it sees none, and a namespace is known only by the label the API server gives every
 * namespace, {@value #NAME_LABEL}.
 */
public interface NamespaceLabelSource {
    /** The label the API server sets on every namespace to its name. */
    String NAME_LABEL = "kubernetes.io/metadata.name";

    /** The labels of {@code namespace} as last seen, or empty if it has not been seen (yet, or at all). */
    Optional<Map<String, String>> labels(String namespace);

    /**
     * Waits at most {@code max} for {@code namespace} to be seen, when this source expects to see it soon (a
     * namespace created right before its first pod); returns at once when it is known or nothing is expected.
     */
    default void awaitNamespace(String namespace, Duration max) {}

    /** The labels the policies are matched against: as seen, else only the name label. */
    default Map<String, String> labelsOf(String namespace) {
        return labels(namespace).orElseGet(() -> Map.of(NAME_LABEL, namespace));
    }

    /** No API server: every namespace known only by its name label. */
    static NamespaceLabelSource namesOnly() {
        return namespace -> Optional.empty();
    }
}
