package dev.beesting.e2e.fleet;

import dev.beesting.api.v1alpha1.HoneytokenNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What a watcher of the API server sees of the HoneytokenNodes: per node, when each applied config generation was
 * first reported (System.nanoTime()).
 */
final class NodeGenerations implements AutoCloseable {
    private final Map<String, ConcurrentSkipListMap<Long, Long>> seen = new ConcurrentHashMap<>();
    private SharedIndexInformer<HoneytokenNode> informer;

    static NodeGenerations start(KubernetesClient admin) {
        NodeGenerations generations = new NodeGenerations();
        generations.informer = admin.resources(HoneytokenNode.class).inform(generations.new Handler());
        return generations;
    }

    /** Nodes that reported {@code generation} or a later one. */
    long countAtLeast(long generation) {
        return seen.values().stream()
                .filter(g -> !g.isEmpty() && g.lastKey() >= generation)
                .count();
    }

    /** When {@code node} first reported {@code generation} or a later one. */
    long firstAtLeast(String node, long generation) {
        return seen.get(node).tailMap(generation).values().stream()
                .mapToLong(Long::longValue)
                .min()
                .orElseThrow();
    }

    private void record(HoneytokenNode node) {
        if (node.getStatus() == null || node.getStatus().configGeneration == null) {
            return;
        }
        long now = System.nanoTime();
        seen.computeIfAbsent(node.getMetadata().getName(), n -> new ConcurrentSkipListMap<>())
                .putIfAbsent(node.getStatus().configGeneration, now);
    }

    private final class Handler implements ResourceEventHandler<HoneytokenNode> {
        @Override
        public void onAdd(HoneytokenNode node) {
            record(node);
        }

        @Override
        public void onUpdate(HoneytokenNode before, HoneytokenNode after) {
            record(after);
        }

        @Override
        public void onDelete(HoneytokenNode node, boolean unknown) {}
    }

    @Override
    public void close() {
        informer.close();
    }
}
