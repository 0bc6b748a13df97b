package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** A node agent appeared, went or applied another config generation: every policy recounts its ready nodes. */
final class NodeToPolicyMapper implements SecondaryToPrimaryMapper<HoneytokenNode> {
    private final IndexerResourceCache<HoneytokenPolicy> policies;

    NodeToPolicyMapper(IndexerResourceCache<HoneytokenPolicy> policies) {
        this.policies = policies;
    }

    /**
     * Heartbeats update the node every few seconds; what matters to policies is the applied generation, the config
     * format the node reads (the last node to read v2 lets v1 go), whether the node can plant and detect at all, and
     * which tokens it had to skip.
     */
    static boolean generationChanged(HoneytokenNode newNode, HoneytokenNode oldNode) {
        return !Objects.equals(appliedGeneration(newNode), appliedGeneration(oldNode))
                || !Objects.equals(configFormat(newNode), configFormat(oldNode))
                || protecting(newNode) != protecting(oldNode)
                || !Objects.equals(skipped(newNode), skipped(oldNode));
    }

    /** Tokens the node's agent skipped because their container mounts that path, by policy. */
    static Map<String, Integer> skipped(HoneytokenNode node) {
        return node.getStatus() == null || node.getStatus().skippedTokensByPolicy == null
                ? Map.of()
                : node.getStatus().skippedTokensByPolicy;
    }

    /**
     * Whether the node's agent can protect pods right now: registered with the runtime over NRI (or new pods get no
     * token) and running a detector (or no open is seen). A node whose runtime restarted under it is not ready.
     */
    static boolean protecting(HoneytokenNode node) {
        return node.getStatus() != null
                && Boolean.TRUE.equals(node.getStatus().nriConnected)
                && node.getStatus().detector != null
                && !node.getStatus().detector.isBlank();
    }

    /** The newest config format the node's agent reads; null for an agent that reads only v1. */
    static String configFormat(HoneytokenNode node) {
        return node.getStatus() == null ? null : node.getStatus().configFormat;
    }

    static Long appliedGeneration(HoneytokenNode node) {
        return node.getStatus() == null ? null : node.getStatus().configGeneration;
    }

    @Override
    public Set<ResourceID> toPrimaryResourceIDs(HoneytokenNode node) {
        return policies.list().map(ResourceID::fromResource).collect(Collectors.toSet());
    }
}
