package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.NodeConfig;
import java.util.Map;

/**
 * The model of one reconcile: the node config to store and the outcome for every policy, computed once and only
 * read afterwards (by the node-config dependent and the status factory).
 *
 * @param config the node config, generation already decided
 * @param json its deterministic serialised form, as stored
 * @param bytes size of {@code json} in UTF-8
 * @param outcomes policy name to outcome, for every live policy
 */
public record CompilationResult(NodeConfig config, String json, int bytes, Map<String, PolicyOutcome> outcomes) {
    public CompilationResult {
        outcomes = Map.copyOf(outcomes);
    }

    public PolicyOutcome outcome(String policyName) {
        PolicyOutcome outcome = outcomes.get(policyName);
        if (outcome == null) {
            throw new IllegalStateException("policy " + policyName + " was not part of the compilation");
        }
        return outcome;
    }
}
