package dev.beesting.operator.policy;

import java.util.List;

/**
 * How many node agents run a given version of a policy.
 *
 * @param ready nodes whose applied config generation contains it
 * @param total nodes with an agent
 * @param pending names of the nodes not ready yet, sorted
 */
public record NodeReadiness(int ready, int total, List<String> pending) {
    public NodeReadiness {
        pending = List.copyOf(pending);
    }

    public static NodeReadiness none(int total) {
        return new NodeReadiness(0, total, List.of());
    }
}
