package dev.beesting.operator.testing;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.operator.policy.NodeConfigSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node config the operator stored, whatever its format, as an agent would read it: v2 (or v1) where the Secret
 * has it, else the v4 index assembled with its policy objects (only once they are whole). Where the policy namespace
 * exists and no node reports an older format, the operator stores v4 alone.
 */
public final class StoredNodeConfig {
    private StoredNodeConfig() {}

    /** The config stored in {@code namespace}, if any is whole. */
    public static Optional<NodeConfig> read(KubernetesClient client, String namespace) {
        Secret secret = client.secrets()
                .inNamespace(namespace)
                .withName(NodeConfig.SECRET_NAME)
                .get();
        Optional<NodeConfig> stored = NodeConfigSecret.read(secret);
        if (stored.isPresent()) {
            return stored;
        }
        Optional<dev.beesting.api.nodeconfig.NodeConfigIndex> index = NodeConfigSecret.readIndex(secret);
        if (index.isEmpty()) {
            return Optional.empty();
        }
        Map<String, PolicyObject.Stored> objects = objects(client);
        return switch (index.get().assemble(name -> Optional.ofNullable(objects.get(name)))) {
            case NodeConfigIndex.Assembly.Complete(NodeConfig config) -> Optional.of(config);
            case NodeConfigIndex.Assembly.Waiting waiting -> Optional.empty();
        };
    }

    /** The policy objects stored in the default policy namespace, by Secret name. */
    public static Map<String, PolicyObject.Stored> objects(KubernetesClient client) {
        Map<String, PolicyObject.Stored> objects = new HashMap<>();
        client
                .secrets()
                .inNamespace(PolicyObject.DEFAULT_NAMESPACE)
                .withLabel(PolicyObject.COMPONENT_LABEL, PolicyObject.COMPONENT)
                .list()
                .getItems()
                .stream()
                .filter(s -> s.getData() != null && s.getData().get(PolicyObject.DATA_KEY) != null)
                .forEach(s -> objects.put(
                        s.getMetadata().getName(),
                        PolicyObject.Stored.of(
                                new String(
                                        Base64.getDecoder().decode(s.getData().get(PolicyObject.DATA_KEY)),
                                        StandardCharsets.UTF_8),
                                s.getMetadata().getAnnotations())));
        return objects;
    }
}
