package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node config format v3: an index in the node config Secret, one Secret per policy in their own namespace. */
class NodeConfigV3IT {
    private static final String NAMESPACE = "beesting-system";
    private static final String OBJECTS = PolicyObject.DEFAULT_NAMESPACE;

    private final MockApiServer apiServer = new MockApiServer();
    private final KubernetesClient client = apiServer.client();

    @AfterEach
    void stop() {
        client.close();
        apiServer.close();
    }

    private static CompiledPolicy policy(String name, String value) {
        return new CompiledPolicy(
                name,
                "uid-" + name,
                1,
                List.of(),
                null,
                null,
                List.of(new CompiledToken("/etc/" + name, null, value, null)),
                null,
                null,
                null);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The operator's order: every object first, the index last; v2 beside it when {@code withV2}. */
    private void publish(long generation, boolean withV2, CompiledPolicy... policies) {
        for (CompiledPolicy policy : policies) {
            writeObject(policy);
        }
        writeIndex(generation, withV2, policies);
    }

    private void writeObject(CompiledPolicy policy) {
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(PolicyObject.secretName(policy.name()))
                        .withNamespace(OBJECTS)
                        .withLabels(PolicyObject.LABELS)
                        .endMetadata()
                        .addToData(PolicyObject.DATA_KEY, base64(NodeConfigCodec.writePolicy(policy)))
                        .build())
                .createOr(existing -> existing.update());
    }

    private void writeIndex(long generation, boolean withV2, CompiledPolicy... policies) {
        NodeConfig v2 = new NodeConfig(NodeConfig.API_VERSION_V2, generation, List.of(policies));
        Map<String, String> data = new LinkedHashMap<>();
        data.put(NodeConfig.SECRET_KEY_V3, base64(NodeConfigCodec.writeIndex(NodeConfigIndex.of(v2))));
        if (withV2) {
            data.put(NodeConfig.SECRET_KEY_V2, base64(NodeConfigCodec.write(v2)));
        }
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(NodeConfig.SECRET_NAME)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(data)
                .build();
        client.resource(secret).createOr(existing -> existing.update());
    }

    private NodeConfigWatcher start(Optional<Path> saved) {
        return NodeConfigWatcher.start(client, NAMESPACE, Optional.of(OBJECTS), saved);
    }

    private static String value(NodeConfig config, String policy) {
        return config.policies().stream()
                .filter(p -> p.name().equals(policy))
                .findFirst()
                .map(p -> p.tokens().getFirst().value())
                .orElse(null);
    }

    @Test
    void theIndexAndItsObjectsAreAppliedAsOneV2ConfigAndTheAgentSaysItReadsV3() {
        publish(1, false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 1);
            assertThat(watcher.get().bySelector()).isTrue();
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws", "kubeconfig");
            assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V3);
        }
    }

    @Test
    void aGenerationIsAppliedOnlyOnceEveryObjectIsAtTheHashTheIndexNames() {
        publish(1, false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 1);

            // the index arrives before the edited object: nothing of generation 2 is applied
            writeIndex(2, false, policy("fake-aws", "edited"), policy("kubeconfig", "k"));
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> watcher.get().generation() == 1);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("a");

            writeObject(policy("fake-aws", "edited"));
            await().until(() -> watcher.get().generation() == 2);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("edited");
            assertThat(value(watcher.get(), "kubeconfig")).isEqualTo("k");
        }
    }

    @Test
    void aDeletedObjectOrIndexNeverDisarmsTheNode(@TempDir Path stateDir) {
        Path saved = stateDir.resolve(NodeConfigWatcher.SAVED);
        publish(3, false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.of(saved))) {
            await().until(() -> watcher.get().generation() == 3);

            client.secrets()
                    .inNamespace(OBJECTS)
                    .withName(PolicyObject.secretName("kubeconfig"))
                    .delete();
            // a new index naming the deleted object is not applied either
            writeIndex(4, false, policy("fake-aws", "b"), policy("kubeconfig", "k"));
            writeObject(policy("fake-aws", "b"));
            client.secrets()
                    .inNamespace(NAMESPACE)
                    .withName(NodeConfig.SECRET_NAME)
                    .delete();
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> watcher.get().generation() == 3);
            assertThat(watcher.get().policies()).hasSize(2);
        }
        // a restart starts from the last good config, assembled and saved as v2
        try (NodeConfigWatcher watcher = start(Optional.of(saved))) {
            assertThat(watcher.get().generation()).isEqualTo(3);
            assertThat(watcher.get().bySelector()).isTrue();
            assertThat(value(watcher.get(), "kubeconfig")).isEqualTo("k");

            // the operator stops naming the deleted policy: the node follows
            publish(5, false, policy("fake-aws", "b"));
            await().until(() -> watcher.get().generation() == 5);
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws");
        }
    }

    @Test
    void anAgentThatCannotReadThePolicyNamespaceReadsV2AndSaysSo() {
        publish(6, true, policy("fake-aws", "a"));
        apiServer.fail(request -> request.getPath().contains("/namespaces/" + OBJECTS + "/"), 403, "forbidden");
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 6);
            assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V2);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("a");
        }
    }

    @Test
    void anAgentWithoutAPolicyNamespaceReadsV2() {
        publish(7, true, policy("fake-aws", "a"));
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            await().until(() -> watcher.get().generation() == 7);
            assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V2);
        }
    }
}
