package dev.beesting.e2e.fleet;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watch events of Namespaces as one agent's namespace view receives them (config format v2): counted as the
 * events' JSON like {@link ConfigEvents}, from one watch, which is what each node receives. The simulated nodes share
 * one view per JVM (see {@link SimulatedNode}), so this is the per-node figure.
 */
final class NamespaceEvents implements AutoCloseable {
    private static final int ENVELOPE = "{\"type\":\"MODIFIED\",\"object\":}".length();

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private SharedIndexInformer<Namespace> informer;

    static NamespaceEvents start(KubernetesClient admin) {
        NamespaceEvents watch = new NamespaceEvents();
        watch.informer = admin.namespaces().inform(watch.new Handler(), 0);
        return watch;
    }

    long events() {
        return events.get();
    }

    /** Bytes of the events since the watch started, per watcher. */
    long bytes() {
        return bytes.get();
    }

    private void count(Namespace namespace) {
        events.incrementAndGet();
        bytes.addAndGet(ENVELOPE + Serialization.asJson(namespace).getBytes(StandardCharsets.UTF_8).length);
    }

    private final class Handler implements ResourceEventHandler<Namespace> {
        @Override
        public void onAdd(Namespace namespace) {
            count(namespace);
        }

        @Override
        public void onUpdate(Namespace before, Namespace after) {
            count(after);
        }

        @Override
        public void onDelete(Namespace namespace, boolean unknown) {
            count(namespace);
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
