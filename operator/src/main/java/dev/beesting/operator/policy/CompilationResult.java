package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.NodeConfig;
import java.util.Map;
import java.util.Optional;

/**
 * The model of one reconcile: the node config to store and the outcome for every policy, computed once and only
 * read afterwards (by the node-config dependent and the status factory).
 *
 * @param config the node config in format v2 (namespace selectors), generation already decided; always stored
 * @param json its deterministic serialised form, as stored
 * @param v1 the same policies in format v1 (namespaces by name), same generation
 * @param v1Json v1's serialised form, present only while some node still reads v1 and it is stored beside v2
 * @param bytes size of what is stored, both formats, in UTF-8
 * @param outcomes policy name to outcome, for every live policy
 */
public record CompilationResult(
        NodeConfig config,
        String json,
        NodeConfig v1,
        Optional<String> v1Json,
        int bytes,
        Map<String, PolicyOutcome> outcomes) {
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
