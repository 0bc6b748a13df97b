package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * A node agent appeared, went or applied another config generation: the policies whose status that can change recount
 * their ready nodes. During a rollout that is the policy being rolled out, not every policy: at a thousand nodes and a
 * hundred policies a report each from every node would otherwise queue a hundred reconciles (each compiling every
 * policy) per report.
 */
final class NodeToPolicyMapper implements SecondaryToPrimaryMapper<HoneytokenNode> {
    private final IndexerResourceCache<HoneytokenPolicy> policies;
    private final IntSupplier nodeCount;

    /**
     * @param nodeCount how many HoneytokenNodes there are now (the cache the event came from, already updated)
     */
    NodeToPolicyMapper(IndexerResourceCache<HoneytokenPolicy> policies, IntSupplier nodeCount) {
        this.policies = policies;
        this.nodeCount = nodeCount;
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

    /**
     * Every policy whose status this node's report can change; at least one, as every reconcile also recompiles the
     * node config, and the formats it stores follow what the nodes report reading.
     */
    @Override
    public Set<ResourceID> toPrimaryResourceIDs(HoneytokenNode node) {
        List<HoneytokenPolicy> all = policies.list().toList();
        int nodes = nodeCount.getAsInt();
        Set<ResourceID> affected = all.stream()
                .filter(policy -> affected(policy, node, nodes))
                .map(ResourceID::fromResource)
                .collect(Collectors.toCollection(HashSet::new));
        if (affected.isEmpty() && !all.isEmpty()) {
            affected.add(ResourceID.fromResource(all.stream()
                    .min(Comparator.comparing(p -> p.getMetadata().getName()))
                    .orElseThrow()));
        }
        return affected;
    }

    /**
     * Whether the report of {@code node} can change the status of {@code policy}: its status is not written yet, counts
     * another number of nodes, is not ready everywhere, names skipped tokens or the node skips some of its tokens, the
     * node does not hold the generation the policy needs (a node whose config went backwards), or the node stopped
     * protecting (every ready count changes).
     */
    static boolean affected(HoneytokenPolicy policy, HoneytokenNode node, int nodes) {
        HoneytokenPolicyStatus status = policy.getStatus();
        if (status == null || status.nodesTotal == null || status.nodesTotal != nodes || !protecting(node)) {
            return true;
        }
        if (status.skippedTokens != null
                || skipped(node).containsKey(policy.getMetadata().getName())) {
            return true;
        }
        if (status.configGeneration == null) {
            return false; // not accepted: no node is ready for it, whatever they report
        }
        Long applied = appliedGeneration(node);
        return status.nodesReady == null
                || status.nodesReady < status.nodesTotal
                || applied == null
                || applied < status.configGeneration;
    }
}
