package dev.beesting.operator.policy;

import java.util.List;
import java.util.Map;

/**
 * How many node agents run a given version of a policy.
 *
 * @param ready nodes whose applied config generation contains it
 * @param total nodes with an agent
 * @param pending names of the nodes not ready yet, sorted
 * @param skippedByPolicy tokens the nodes skipped because their container mounts that path, summed, by policy
 */
public record NodeReadiness(int ready, int total, List<String> pending, Map<String, Integer> skippedByPolicy) {
    public NodeReadiness {
        pending = List.copyOf(pending);
        skippedByPolicy = Map.copyOf(skippedByPolicy);
    }

    public NodeReadiness(int ready, int total, List<String> pending) {
        this(ready, total, pending, Map.of());
    }

    public static NodeReadiness none(int total) {
        return new NodeReadiness(0, total, List.of());
    }

    /** Tokens of {@code policy} that nodes skipped because their container mounts that path. */
    public int skipped(String policy) {
        return skippedByPolicy.getOrDefault(policy, 0);
    }
}
