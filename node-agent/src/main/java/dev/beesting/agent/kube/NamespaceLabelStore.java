package dev.beesting.agent.kube;

import dev.beesting.agent.tokens.NamespaceLabelSource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The Namespace informer's store, holding only what the agent needs: per namespace its resource version (the
 * informer compares it) and labels, with {@value NamespaceLabelSource#NAME_LABEL} added where absent (the API server
 * sets it; a namespace seen without it still has that name). The informer receives slim Namespaces back (name,
 * resource version, labels), which is why the store says it does not keep the full state.
 */
final class NamespaceLabelStore implements ItemStore<Namespace> {
    private record Entry(String resourceVersion, Map<String, String> labels) {}

    private final Map<String, Entry> byName = new ConcurrentHashMap<>();
    private final Runnable stored;

    /** @param stored called after every put, for those waiting for a namespace */
    NamespaceLabelStore(Runnable stored) {
        this.stored = stored;
    }

    Optional<Map<String, String>> labels(String namespace) {
        return Optional.ofNullable(byName.get(namespace)).map(Entry::labels);
    }

    /** The labels of a Namespace, with the name label added where absent. */
    static Map<String, String> labelsOf(Namespace namespace) {
        if (namespace == null) {
            return Map.of();
        }
        Map<String, String> labels = new HashMap<>();
        if (namespace.getMetadata().getLabels() != null) {
            labels.putAll(namespace.getMetadata().getLabels());
        }
        labels.putIfAbsent(
                NamespaceLabelSource.NAME_LABEL, namespace.getMetadata().getName());
        return Map.copyOf(labels);
    }

    @Override
    public String getKey(Namespace namespace) {
        return namespace.getMetadata().getName();
    }

    @Override
    public Namespace put(String key, Namespace namespace) {
        Entry previous = byName.put(key, new Entry(namespace.getMetadata().getResourceVersion(), labelsOf(namespace)));
        stored.run();
        return slim(key, previous);
    }

    @Override
    public Namespace remove(String key) {
        return slim(key, byName.remove(key));
    }

    @Override
    public Stream<String> keySet() {
        return byName.keySet().stream();
    }

    @Override
    public Stream<Namespace> values() {
        return byName.entrySet().stream().map(e -> slim(e.getKey(), e.getValue()));
    }

    @Override
    public int size() {
        return byName.size();
    }

    @Override
    public Namespace get(String key) {
        return slim(key, byName.get(key));
    }

    @Override
    public boolean isFullState() {
        return false;
    }

    private static Namespace slim(String name, Entry entry) {
        if (entry == null) {
            return null;
        }
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withResourceVersion(entry.resourceVersion())
                .withLabels(entry.labels())
                .endMetadata()
                .build();
    }
}
