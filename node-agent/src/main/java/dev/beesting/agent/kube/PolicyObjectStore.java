package dev.beesting.agent.kube;

import dev.beesting.agent.model.Opener;
import dev.beesting.api.nodeconfig.PolicyObject;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node config format v4's per-policy Secrets, followed with one label-selected watch of their namespace (the only
 * namespace whose Secrets the agent may list). One watch keeps the objects in the order the operator wrote them, which
 * is what lets an agent tell, from the generations alone, that it holds a whole config. Tells its owner on every change
 * and once the first list is in; until then (or while the namespace is not readable) the agent keeps reading the v2
 * document.
 */
final class PolicyObjectStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyObjectStore.class);

    private final String namespace;
    private final SharedIndexInformer<Secret> informer;

    private PolicyObjectStore(String namespace, SharedIndexInformer<Secret> informer) {
        this.namespace = namespace;
        this.informer = informer;
    }

    /** Starts watching {@code namespace}; {@code changed} runs on every object change and after the first list. */
    static PolicyObjectStore start(KubernetesClient client, String namespace, Runnable changed) {
        SharedIndexInformer<Secret> informer = client.secrets()
                .inNamespace(namespace)
                .withLabel(PolicyObject.COMPONENT_LABEL, PolicyObject.COMPONENT)
                .runnableInformer(0);
        informer.exceptionHandler((started, error) -> {
            LOG.warn(
                    "policy objects not readable yet, reading node config format v2 meanwhile namespace={} error={}",
                    namespace,
                    Opener.bound(String.valueOf(error.getMessage()), 512));
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                changed.run();
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
                changed.run();
            }

            @Override
            public void onDelete(Secret secret, boolean finalStateUnknown) {
                // the index still naming it keeps the node at its last good config; one that does not name it is fine
                changed.run();
            }
        });
        PolicyObjectStore store = new PolicyObjectStore(namespace, informer);
        informer.start().thenRun(() -> {
            LOG.info(
                    "policy objects readable namespace={} objects={}",
                    namespace,
                    informer.getStore().list().size());
            changed.run();
        });
        return store;
    }

    /** Whether the first list is in: from then on a missing object is really missing. */
    boolean readable() {
        return informer.hasSynced();
    }

    /** What the object named {@code name} stores, if held and readable. */
    Optional<PolicyObject.Stored> object(String name) {
        Secret secret = informer.getStore().getByKey(namespace + "/" + name);
        if (secret == null || secret.getData() == null || secret.getData().get(PolicyObject.DATA_KEY) == null) {
            return Optional.empty();
        }
        try {
            String document = new String(
                    Base64.getDecoder().decode(secret.getData().get(PolicyObject.DATA_KEY)), StandardCharsets.UTF_8);
            return Optional.of(
                    PolicyObject.Stored.of(document, secret.getMetadata().getAnnotations()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // missing as far as the index goes: the node waits for a good one
        }
    }

    @Override
    public void close() {
        informer.close();
    }
}
