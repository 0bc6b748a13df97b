package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import io.fabric8.kubernetes.api.model.Namespace;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A namespace appeared, went or changed labels: every policy may gain or lose it (the old labels are not known
 * here), so all of them recount. One of them rewrites the node config; the others find it current.
 */
final class NamespaceToPolicyMapper implements SecondaryToPrimaryMapper<Namespace> {
    private final IndexerResourceCache<HoneytokenPolicy> policies;

    NamespaceToPolicyMapper(IndexerResourceCache<HoneytokenPolicy> policies) {
        this.policies = policies;
    }

    /**
     * Only label changes move a namespace in or out of a selector; the start of a deletion matters too when it is the
     * namespace of the policy objects (node config v4), which then stops being written.
     */
    static boolean labelsChanged(Namespace newNamespace, Namespace oldNamespace) {
        return !Objects.equals(
                        newNamespace.getMetadata().getLabels(),
                        oldNamespace.getMetadata().getLabels())
                || !Objects.equals(
                        newNamespace.getMetadata().getDeletionTimestamp(),
                        oldNamespace.getMetadata().getDeletionTimestamp());
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(Namespace namespace) {
        return policies.list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
