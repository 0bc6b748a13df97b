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

    /** Inputs of a cluster without format v4 whose nodes all read v2, or (v1Wanted) not all yet. */
    public PolicyInputs(
            String operatorNamespace,
            List<HoneytokenPolicy> policies,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> secretData,
            Optional<NodeConfig> current,
            boolean v1Wanted,
            Optional<NodeConfig> currentV1,
            Optional<DecoySettings> decoy) {
        this(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                current,
                Optional.empty(),
                Map.of(),
                new StoredFormats(v1Wanted, true, false),
                currentV1,
                decoy);
    }

    /** Inputs of a cluster without format v4 whose nodes all read v2, without a decoy. */
    public PolicyInputs(
            String operatorNamespace,
            List<HoneytokenPolicy> policies,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> secretData,
            Optional<NodeConfig> current) {
        this(
                operatorNamespace,
                policies,
                namespaceLabels,
                secretData,
                current,
                false,
                Optional.empty(),
                Optional.empty());
    }

    /** Inputs of a cluster without format v4 whose nodes all read v2, with the decoy settings agents get. */
    public PolicyInputs(
            String operatorNamespace,
            List<HoneytokenPolicy> policies,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> secretData,
            Optional<NodeConfig> current,
            Optional<DecoySettings> decoy) {
        this(operatorNamespace, policies, namespaceLabels, secretData, current, false, Optional.empty(), decoy);
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
