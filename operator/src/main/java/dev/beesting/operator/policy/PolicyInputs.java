package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one compilation reads, taken from the informer caches once at the start of a reconcile.
 *
 * @param operatorNamespace where referenced Secrets and the node config live
 * @param policies every live policy
 * @param namespaceLabels namespace name to its labels
 * @param secretData Secret name (in the operator namespace) to its decoded data
 * @param current the node config currently stored (v2 where stored, else v1), if any
 * @param currentIndex the format v4 index currently stored, if any
 * @param currentObjects the format v4 policy objects currently stored, by Secret name
 * @param formats which formats to store
 * @param currentV1 the v1 document currently stored, if any
 * @param decoy the decoy settings agents get, once the decoy's key exists
 */
public record PolicyInputs(
        String operatorNamespace,
        List<HoneytokenPolicy> policies,
        Map<String, Map<String, String>> namespaceLabels,
        Map<String, Map<String, String>> secretData,
        Optional<NodeConfig> current,
        Optional<NodeConfigIndex> currentIndex,
        Map<String, PolicyObject.Stored> currentObjects,
        StoredFormats formats,
        Optional<NodeConfig> currentV1,
        Optional<DecoySettings> decoy) {

    public PolicyInputs {
        policies = List.copyOf(policies);
        namespaceLabels = Map.copyOf(namespaceLabels);
        secretData = Map.copyOf(secretData);
        currentObjects = Map.copyOf(currentObjects);
    }

    /**
     * Inputs of a cluster where nothing is stored yet, without the policy-object namespace, whose nodes all read v2
     * and without a decoy; the {@code with} methods say what differs.
     */
    public static PolicyInputs of(
            String operatorNamespace,
            List<HoneytokenPolicy> policies,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> secretData) {
        return new PolicyInputs(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                Optional.empty(),
                Optional.empty(),
                Map.of(),
                StoredFormats.V2,
                Optional.empty(),
                Optional.empty());
    }

    /** The same inputs with {@code config} (v2, or v1 from an earlier operator) stored. */
    public PolicyInputs withCurrent(NodeConfig config) {
        return new PolicyInputs(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                Optional.of(config),
                currentIndex,
                currentObjects,
                formats,
                currentV1,
                decoy);
    }

    /** The same inputs storing {@code wanted} formats. */
    public PolicyInputs withFormats(StoredFormats wanted) {
        return new PolicyInputs(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                current,
                currentIndex,
                currentObjects,
                wanted,
                currentV1,
                decoy);
    }

    /** The same inputs with the v4 index and objects stored. */
    public PolicyInputs withStoredV4(NodeConfigIndex index, Map<String, PolicyObject.Stored> objects) {
        return new PolicyInputs(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                current,
                Optional.of(index),
                objects,
                formats,
                currentV1,
                decoy);
    }

    /** The same inputs with a v1 document stored. */
    public PolicyInputs withCurrentV1(NodeConfig v1) {
        return new PolicyInputs(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                current,
                currentIndex,
                currentObjects,
                formats,
                Optional.of(v1),
                decoy);
    }

    /** The same inputs with decoy settings for agents. */
    public PolicyInputs withDecoy(DecoySettings settings) {
        return new PolicyInputs(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                current,
                currentIndex,
                currentObjects,
                formats,
                currentV1,
                Optional.of(settings));
    }

    /** Whether some node still reads v1, so v1 is stored. */
    public boolean v1Wanted() {
        return formats.v1();
    }

    /** What is stored: the v4 index and its objects where stored, else the stored document. */
    Optional<StoredConfig> before() {
        return StoredConfig.of(current, currentIndex, currentObjects);
    }

    /**
     * The highest generation anything stored carries: a new write takes the next, so generations only count up even
     * where the stored formats disagree (v2 written while v4 was not, objects left by an earlier operator).
     */
    long newestGeneration() {
        long newest = 0;
        newest = Math.max(newest, current.map(NodeConfig::generation).orElse(0L));
        newest = Math.max(newest, currentV1.map(NodeConfig::generation).orElse(0L));
        newest = Math.max(newest, currentIndex.map(NodeConfigIndex::generation).orElse(0L));
        for (PolicyObject.Stored object : currentObjects.values()) {
            newest = Math.max(newest, object.generation());
        }
        return newest;
    }
}
