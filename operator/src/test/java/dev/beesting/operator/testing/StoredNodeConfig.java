package dev.beesting.operator.testing;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.operator.policy.NodeConfigSecret;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The node config the operator stored, whatever its format, as an agent would read it: v2 (or v1) where the Secret
 * has it, else the v3 index assembled with its policy objects (only once every object is at its hash). Where the
 * policy namespace exists and no node reports an older format, the operator stores v3 alone.
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
        return NodeConfigSecret.readIndex(secret)
                .flatMap(index -> switch (index.assemble(name -> document(client, name))) {
                    case NodeConfigIndex.Assembly.Complete(NodeConfig config) -> Optional.of(config);
                    case NodeConfigIndex.Assembly.Waiting waiting -> Optional.empty();
                });
    }

    private static Optional<String> document(KubernetesClient client, String name) {
        Secret object = client.secrets()
                .inNamespace(PolicyObject.DEFAULT_NAMESPACE)
                .withName(name)
                .get();
        if (object == null || object.getData() == null || object.getData().get(PolicyObject.DATA_KEY) == null) {
            return Optional.empty();
        }
        return Optional.of(new String(
                Base64.getDecoder().decode(object.getData().get(PolicyObject.DATA_KEY)), StandardCharsets.UTF_8));
    }
}
