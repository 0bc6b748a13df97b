package dev.beesting.e2e.fleet;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.PolicyObject;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watch events of the node config Secret and, with format v4, of the per-policy Secrets, as every agent's watches
 * receive them: fabric8 watches over a WebSocket, which no HTTP interceptor sees, so the bytes a node receives are
 * counted here as the events' JSON (the Secret re-serialized by the client, plus the event envelope) from one watch
 * of the same objects.
 */
final class ConfigEvents implements AutoCloseable {
    private static final int ENVELOPE = "{\"type\":\"MODIFIED\",\"object\":}".length();

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private SharedIndexInformer<Secret> informer;
    private SharedIndexInformer<Secret> objects;

    static ConfigEvents start(KubernetesClient admin, String namespace, java.util.Optional<String> policyNamespace) {
        ConfigEvents watch = new ConfigEvents();
        watch.informer = admin.secrets()
                .inNamespace(namespace)
                .withName(NodeConfig.SECRET_NAME)
                .inform(watch.new Handler(), 0);
        policyNamespace.ifPresent(objects -> watch.objects = admin.secrets()
                .inNamespace(objects)
                .withLabel(PolicyObject.COMPONENT_LABEL, PolicyObject.COMPONENT)
                .inform(watch.new Handler(), 0));
        return watch;
    }

    /** Events since the watch started. */
    long events() {
        return events.get();
    }

    /** Bytes of those events, per watcher. */
    long bytes() {
        return bytes.get();
    }

    private void count(Secret secret) {
        events.incrementAndGet();
        bytes.addAndGet(ENVELOPE + Serialization.asJson(secret).getBytes(StandardCharsets.UTF_8).length);
    }

    private final class Handler implements ResourceEventHandler<Secret> {
        @Override
        public void onAdd(Secret secret) {
            count(secret);
        }

        @Override
        public void onUpdate(Secret before, Secret after) {
            count(after);
        }

        @Override
        public void onDelete(Secret secret, boolean unknown) {
            events.incrementAndGet();
        }
    }

    @Override
    public void close() {
        informer.close();
        if (objects != null) {
            objects.close();
        }
    }
}
