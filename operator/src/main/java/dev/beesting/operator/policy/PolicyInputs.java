package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
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
 * @param current the node config currently stored, if any
 * @param decoy the decoy settings agents get, once the decoy's key exists
 */
public record PolicyInputs(
        String operatorNamespace,
        List<HoneytokenPolicy> policies,
        Map<String, Map<String, String>> namespaceLabels,
        Map<String, Map<String, String>> secretData,
        Optional<NodeConfig> current,
        Optional<DecoySettings> decoy) {

    public PolicyInputs {
        policies = List.copyOf(policies);
        namespaceLabels = Map.copyOf(namespaceLabels);
        secretData = Map.copyOf(secretData);
    }

    public PolicyInputs(
            String operatorNamespace,
            List<HoneytokenPolicy> policies,
            Map<String, Map<String, String>> namespaceLabels,
            Map<String, Map<String, String>> secretData,
            Optional<NodeConfig> current) {
        this(operatorNamespace, policies, namespaceLabels, secretData, current, Optional.empty());
    }
}
