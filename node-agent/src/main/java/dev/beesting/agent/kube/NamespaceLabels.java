package dev.beesting.agent.kube;

import dev.beesting.agent.model.Opener;
import dev.beesting.agent.tokens.NamespaceLabelSource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's view of namespace labels, which the agent matches the namespace selectors of node config format v2
 * against: an informer on Namespaces, cluster-wide ({@code list} and {@code watch} on {@code namespaces}).
 *
 * <p>fabric8 has no metadata-only informer (no {@code PartialObjectMetadata} watch), so the API server sends whole
 * Namespace objects; a Namespace is little more than its metadata, a few hundred bytes per event. What stays in
 * memory is only name → labels: the informer's own cache is replaced by {@link NamespaceLabelStore}, which keeps per
 * namespace its resource version and labels (about 200 bytes plus the labels' strings) and nothing else.
 *
 * <p>An API server that is down or refuses the list does not stop the agent: the informer retries with its own
 * backoff, and until the first list the view is not synced, so nothing waits for it and every namespace is known
 * by its name label. Listeners hear of each added namespace and each change of a namespace's labels, so running
 * containers gain or lose tokens as they do on a config change.
 */
public final class NamespaceLabels implements NamespaceLabelSource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceLabels.class);

    private final NamespaceLabelStore store;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private SharedIndexInformer<Namespace> informer;

    private NamespaceLabels() {
        this.store = new NamespaceLabelStore(this::stored);
    }

    /** Starts watching; returns at once (the first list may take a while or fail and be retried). */
    public static NamespaceLabels start(KubernetesClient client) {
        NamespaceLabels labels = new NamespaceLabels();
        SharedIndexInformer<Namespace> informer = client.namespaces().runnableInformer(0);
        informer.itemStore(labels.store);
        informer.exceptionHandler((started, error) -> {
            LOG.warn(
                    "namespaces not readable yet, retrying started={} error={}",
                    started,
                    Opener.bound(String.valueOf(error.getMessage()), 512));
            return true;
        });
        informer.addEventHandler(labels.new Handler());
        labels.informer = informer;
        informer.start();
        return labels;
    }

    /** Called when a namespace appears or its labels change (on the informer's thread: return quickly). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public Optional<Map<String, String>> labels(String namespace) {
        return store.labels(namespace);
    }

    /** Whether the first list has completed: from then on a namespace not in the view is one created just now. */
    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    /** Namespaces in the view. */
    public int size() {
        return store.size();
    }

    /**
     * Waits at most {@code max} for a namespace the view has not seen while it is synced (one created right before its
     * pod: its watch event is on the way). Returns at once when the namespace is known or the view not synced yet
     * (then nothing says the namespace is new). An interrupt ends the wait.
     */
    @Override
    public void awaitNamespace(String namespace, Duration max) {
        if (!synced() || store.labels(namespace).isPresent()) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (store.labels(namespace).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.info(
                            "namespace not seen in time, matching by its name until it is namespace={} waited={}",
                            namespace,
                            max);
                    return;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    private void stored() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void notifyListeners(String why, String namespace) {
        LOG.debug("namespace {} namespace={}", why, namespace);
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.error("namespace listener failed namespace={} error={}", namespace, e.toString(), e);
            }
        }
    }

    private final class Handler implements ResourceEventHandler<Namespace> {
        @Override
        public void onAdd(Namespace namespace) {
            notifyListeners("added", namespace.getMetadata().getName());
        }

        @Override
        public void onUpdate(Namespace before, Namespace after) {
            // before comes from the store: name, resource version and labels (NamespaceLabelStore)
            if (!Objects.equals(NamespaceLabelStore.labelsOf(before), NamespaceLabelStore.labelsOf(after))) {
                notifyListeners("relabeled", after.getMetadata().getName());
            }
        }

        @Override
        public void onDelete(Namespace namespace, boolean finalStateUnknown) {
            // its pods are gone before the namespace is: nothing to plant or take away
            LOG.debug("namespace deleted namespace={}", namespace.getMetadata().getName());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
