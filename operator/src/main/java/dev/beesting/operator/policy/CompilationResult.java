package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import java.util.Map;
import java.util.Optional;

/**
 * The model of one reconcile: the node config to store and the outcome for every policy, computed once and only
 * read afterwards (by the node-config dependent, the policy-object writer and the status factory).
 *
 * @param config the node config in format v2 (namespace selectors), generation already decided
 * @param json its deterministic serialised form; stored while {@code formats.v2()}
 * @param v1 the same policies in format v1 (namespaces by name), same generation
 * @param v1Json v1's serialised form, present only while some node still reads v1 and it is stored beside v2
 * @param index the format v4 index to store, null while v4 is not stored; its generation is that of its last write
 * @param objects format v4: policy name to its object (document and generations), one per accepted policy
 * @param formats which formats are stored
 * @param bytes size of what the Secret {@code beesting-node-config} holds, all its keys, in UTF-8
 * @param outcomes policy name to outcome, for every live policy
 */
public record CompilationResult(
        NodeConfig config,
        String json,
        NodeConfig v1,
        Optional<String> v1Json,
        NodeConfigIndex index,
        Map<String, PolicyObject.Stored> objects,
        StoredFormats formats,
        int bytes,
        Map<String, PolicyOutcome> outcomes) {
    public CompilationResult {
        objects = Map.copyOf(objects);
        outcomes = Map.copyOf(outcomes);
    }

    /** The index's serialised form, when v4 is stored. */
    public Optional<String> indexJson() {
        return formats.v4()
                ? Optional.of(dev.beesting.api.nodeconfig.NodeConfigCodec.writeIndex(index))
                : Optional.empty();
    }

    public PolicyOutcome outcome(String policyName) {
        PolicyOutcome outcome = outcomes.get(policyName);
        if (outcome == null) {
            throw new IllegalStateException("policy " + policyName + " was not part of the compilation");
        }
        return outcome;
    }
}
