package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.SecretKeyRef;
import dev.beesting.operator.decoy.DecoySecrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Secret of the operator namespace changed: the policies referencing it recompile (rotation); a change of the node
 * config made by someone else reconciles every policy, so the operator restores it.
 */
final class SecretToPolicyMapper implements SecondaryToPrimaryMapper<Secret> {
    static final String INDEX = "secretRef";

    private final IndexerResourceCache<HoneytokenPolicy> policies;

    SecretToPolicyMapper(IndexerResourceCache<HoneytokenPolicy> policies) {
        this.policies = policies;
    }

    /** Indexes policies by the Secrets they reference; registered on the primary cache. */
    static List<String> referencedSecrets(HoneytokenPolicy policy) {
        return List.copyOf(SecretReferences.names(policy.getSpec()));
    }

    /** Only data, the token-source label or node-config generation changes matter; other metadata churn does not. */
    static boolean relevantUpdate(Secret newSecret, Secret oldSecret) {
        return !Objects.equals(newSecret.getData(), oldSecret.getData())
                || !Objects.equals(tokenSource(newSecret), tokenSource(oldSecret))
                || !Objects.equals(newSecret.getStringData(), oldSecret.getStringData())
                || !Objects.equals(
                        newSecret.getMetadata().getAnnotations(),
                        oldSecret.getMetadata().getAnnotations());
    }

    private static String tokenSource(Secret secret) {
        var labels = secret.getMetadata().getLabels();
        return labels == null ? null : labels.get(SecretKeyRef.TOKEN_SOURCE_LABEL);
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Secret secret) {
        String name = secret.getMetadata().getName();
        // the decoy's key and CA go into every agent's config: a rotation recompiles it
        if (NodeConfig.SECRET_NAME.equals(name)
                || DecoySecrets.KEY_SECRET.equals(name)
                || DecoySecrets.TLS_SECRET.equals(name)) {
            return policies.list().map(ResourceID::fromResource).collect(Collectors.toSet());
        }
        return policies.byIndex(INDEX, secret.getMetadata().getName()).stream()
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    }
}
