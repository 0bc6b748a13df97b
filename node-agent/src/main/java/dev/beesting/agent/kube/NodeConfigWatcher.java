package dev.beesting.agent.kube;

import dev.beesting.agent.model.Opener;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the operator's compiled node config: watches the one Secret {@code beesting-node-config} by name in the
 * agent's namespace (the agent may read no other Secret), keeps the newest good config and tells listeners when
 * a new generation arrives. It reads the key {@code config-v2.json} (format v2, namespace selectors) where the Secret
 * has it and {@code config.json} (v1, namespace names) otherwise, so it follows an operator that writes both, only
 * v2, or (older) only v1. Given the namespace of format v4's per-policy objects, it reads the v4 index
 * ({@code config-v4.json}) once that namespace is readable, and applies what the index and the objects make only when
 * it holds them whole ({@link NodeConfigIndex#assemble}). A document that does not parse, and an index whose objects are missing or
 * stale, are logged and ignored; the last good config stays. The last good config (assembled, in format v2) is also
 * kept in a file, so a restarted agent starts from it while the Secret is missing or rejected, instead of from "no
 * policies", which would take every token away.
 */
public final class NodeConfigWatcher implements Supplier<NodeConfig>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeConfigWatcher.class);

    /** The file under the state dir holding the last good config. */
    public static final String SAVED = "node-config.json";

    private final AtomicReference<NodeConfig> current = new AtomicReference<>(NodeConfig.empty());
    private final List<Consumer<NodeConfig>> listeners = new CopyOnWriteArrayList<>();
    private final String namespace;
    private final Optional<Path> saved;
    private final AtomicReference<Secret> latest = new AtomicReference<>();
    private SharedIndexInformer<Secret> informer;
    private volatile PolicyObjectStore objects;
    private String waitingFor = "";

    private NodeConfigWatcher(String namespace, Optional<Path> saved) {
        this.namespace = namespace;
        this.saved = saved;
        saved.flatMap(SavedNodeConfig::load).ifPresent(config -> {
            current.set(config);
            LOG.info(
                    "node config loaded from the last run generation={} policies={} file={}",
                    config.generation(),
                    config.policies().size(),
                    saved.get());
        });
    }

    /**
     * Starts watching; returns at once (the Secret may not exist yet, until then {@link #get()} is the empty
     * config with generation 0).
     */
    public static NodeConfigWatcher start(KubernetesClient client, String namespace) {
        return start(client, namespace, Optional.empty());
    }

    /** Like {@link #start(KubernetesClient, String)}, starting from and keeping the last good config in {@code saved}. */
    public static NodeConfigWatcher start(KubernetesClient client, String namespace, Optional<Path> saved) {
        return start(client, namespace, Optional.empty(), saved);
    }

    /**
     * Like {@link #start(KubernetesClient, String, Optional)}, reading format v4 with the per-policy objects of
     * {@code policyNamespace} where given.
     */
    public static NodeConfigWatcher start(
            KubernetesClient client, String namespace, Optional<String> policyNamespace, Optional<Path> saved) {
        NodeConfigWatcher watcher = new NodeConfigWatcher(namespace, saved);
        policyNamespace.ifPresent(objectNamespace ->
                watcher.objects = PolicyObjectStore.start(client, objectNamespace, watcher::evaluate));
        SharedIndexInformer<Secret> informer = client.secrets()
                .inNamespace(namespace)
                .withName(NodeConfig.SECRET_NAME)
                .runnableInformer(0);
        // an API server that is down or refuses the first list must not keep the agent from starting: it plants and
        // detects from the saved config meanwhile, and the informer keeps trying (with its own backoff)
        informer.exceptionHandler((started, error) -> {
            LOG.warn(
                    "node config not readable yet, retrying started={} error={}",
                    started,
                    Opener.bound(String.valueOf(error.getMessage()), 512));
            return true;
        });
        informer.addEventHandler(watcher.new Handler());
        watcher.informer = informer;
        informer.start();
        return watcher;
    }

    /** Called on every new generation (on the informer's thread: return quickly). */
    public void onNewGeneration(Consumer<NodeConfig> listener) {
        listeners.add(listener);
    }

    /** The newest good config. */
    @Override
    public NodeConfig get() {
        return current.get();
    }

    /**
     * What this agent tells the operator it reads ({@code HoneytokenNode.status.configFormat}): v3 once the policy
     * objects are readable, so the operator keeps storing v2 for a node that cannot read them.
     */
    public String format() {
        return objects != null && objects.readable() ? NodeConfig.FORMAT_V4 : NodeConfig.FORMAT_V2;
    }

    private void received(Secret secret) {
        latest.set(secret);
        evaluate();
    }

    /** Applies what the newest Secret and the objects at hand make, if that is a whole config. */
    private synchronized void evaluate() {
        Secret secret = latest.get();
        if (secret == null) {
            return;
        }
        if (objects != null && has(secret, NodeConfig.SECRET_KEY_V4)) {
            if (objects.readable()) {
                assembled(secret).ifPresent(config -> apply(config, NodeConfig.FORMAT_V4));
                return;
            }
            if (!has(secret, NodeConfig.SECRET_KEY_V2) && !has(secret, NodeConfig.SECRET_KEY)) {
                // the first list of the objects is not in yet (an agent starting): it comes, or this agent reports v2
                // and the operator stores v2 for it; nothing is wrong with the Secret meanwhile
                waiting(secret, "", "the policy objects are not listed yet");
                return;
            }
        }
        NodeConfig config;
        try {
            config = NodeConfigCodec.read(document(secret));
        } catch (IllegalArgumentException e) {
            LOG.error(
                    "node config rejected, keeping generation={} secret={}/{} resourceVersion={} error={}",
                    current.get().generation(),
                    namespace,
                    NodeConfig.SECRET_NAME,
                    secret.getMetadata().getResourceVersion(),
                    e.getMessage());
            return;
        }
        apply(config, config.bySelector() ? NodeConfig.FORMAT_V2 : "v1");
    }

    /** The v4 index and its objects as one config, when they are whole. */
    private Optional<NodeConfig> assembled(Secret secret) {
        NodeConfigIndex index;
        try {
            index = NodeConfigCodec.readIndex(decoded(secret, NodeConfig.SECRET_KEY_V4));
            switch (index.assemble(objects::object)) {
                case NodeConfigIndex.Assembly.Complete(NodeConfig config) -> {
                    waitingFor = "";
                    return Optional.of(config);
                }
                case NodeConfigIndex.Assembly.Waiting(String policy, String reason) -> {
                    waiting(secret, policy, reason);
                    return Optional.empty();
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.error(
                    "node config index rejected, keeping generation={} secret={}/{} resourceVersion={} error={}",
                    current.get().generation(),
                    namespace,
                    NodeConfig.SECRET_NAME,
                    secret.getMetadata().getResourceVersion(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Logs once per Secret version and policy, not per object event, why nothing is applied yet. */
    private void waiting(Secret secret, String policy, String reason) {
        String waiting = secret.getMetadata().getResourceVersion() + "/" + policy;
        if (!waiting.equals(waitingFor)) {
            waitingFor = waiting;
            LOG.info(
                    "node config index waits for its objects, keeping generation={} policy={} reason={}",
                    current.get().generation(),
                    policy,
                    reason);
        }
    }

    private void apply(NodeConfig config, String format) {
        NodeConfig previous = current.get();
        if (config.generation() == previous.generation() && config.apiVersion().equals(previous.apiVersion())) {
            return; // a resync or a change that does not touch the config
        }
        // the same generation in the other format (v2 appeared beside v1, or a saved v1 met a v2 Secret) is applied:
        // both say the same today, but only v2 follows namespaces created once the operator stops writing v1
        if (config.generation() < previous.generation()) {
            // the operator only counts up; a lower number means the Secret was recreated, so follow it
            LOG.warn(
                    "node config generation went backwards previous={} generation={}",
                    previous.generation(),
                    config.generation());
        }
        current.set(config);
        saved.ifPresent(file -> SavedNodeConfig.save(file, config));
        LOG.info(
                "node config applied generation={} format={} policies={}",
                config.generation(),
                format,
                config.policies().size());
        for (Consumer<NodeConfig> listener : listeners) {
            try {
                listener.accept(config);
            } catch (RuntimeException e) {
                LOG.error("node config listener failed generation={} error={}", config.generation(), e.toString(), e);
            }
        }
    }

    /** The v2 document where the Secret has one (agents of this version match namespace selectors), else v1. */
    static String document(Secret secret) {
        for (String key : List.of(NodeConfig.SECRET_KEY_V2, NodeConfig.SECRET_KEY)) {
            if (has(secret, key)) {
                return decoded(secret, key);
            }
        }
        throw new IllegalArgumentException("the Secret has neither key " + NodeConfig.SECRET_KEY_V2 + " nor "
                + NodeConfig.SECRET_KEY
                + (has(secret, NodeConfig.SECRET_KEY_V4)
                        ? " (only the v4 index, whose policy objects this agent cannot read yet)"
                        : ""));
    }

    private static boolean has(Secret secret, String key) {
        return (secret.getData() != null && secret.getData().containsKey(key))
                || (secret.getStringData() != null && secret.getStringData().containsKey(key));
    }

    private static String decoded(Secret secret, String key) {
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            try {
                return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("key " + key + " is not valid base64", e);
            }
        }
        return secret.getStringData().get(key);
    }

    private final class Handler implements ResourceEventHandler<Secret> {
        @Override
        public void onAdd(Secret secret) {
            received(secret);
        }

        @Override
        public void onUpdate(Secret before, Secret after) {
            received(after);
        }

        @Override
        public void onDelete(Secret secret, boolean finalStateUnknown) {
            // without a Secret the agent keeps planting what it last knew rather than disarming the node
            LOG.warn(
                    "node config Secret deleted, keeping generation={} secret={}/{}",
                    current.get().generation(),
                    namespace,
                    NodeConfig.SECRET_NAME);
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
        if (objects != null) {
            objects.close();
        }
    }
}
