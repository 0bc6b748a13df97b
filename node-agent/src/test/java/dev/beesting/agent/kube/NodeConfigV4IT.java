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

/**
 * Node config format v4: an index in the node config Secret, one Secret per policy in their own namespace, each write
 * at the next generation, as the operator makes them.
 */
class NodeConfigV4IT {
    private static final String NAMESPACE = "beesting-system";
    private static final String OBJECTS = PolicyObject.DEFAULT_NAMESPACE;

    private final MockApiServer apiServer = new MockApiServer();
    private final KubernetesClient client = apiServer.client();
    private long generation;
    private long indexGeneration;
    private final Map<String, Long> objectGenerations = new LinkedHashMap<>();

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

    /** The operator's order for a new set of policies: every object first, the index that names them last. */
    private void publish(boolean withV2, CompiledPolicy... policies) {
        long next = generation + policies.length + 1;
        for (CompiledPolicy policy : policies) {
            writeObject(policy, next);
        }
        writeIndex(withV2, policies);
    }

    /** An object write at the next generation, needing index generation {@code needs}. */
    private void writeObject(CompiledPolicy policy, long needs) {
        generation++;
        objectGenerations.put(policy.name(), generation);
        client.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(PolicyObject.secretName(policy.name()))
                        .withNamespace(OBJECTS)
                        .withLabels(PolicyObject.LABELS)
                        .withAnnotations(new PolicyObject.Stored("", generation, needs).annotations())
                        .endMetadata()
                        .addToData(PolicyObject.DATA_KEY, base64(NodeConfigCodec.writePolicy(policy)))
                        .build())
                .createOr(existing -> existing.update());
    }

    /** An edit: the object alone, for the index already written. */
    private void edit(CompiledPolicy policy) {
        writeObject(policy, indexGeneration);
    }

    private void writeIndex(boolean withV2, CompiledPolicy... policies) {
        generation++;
        indexGeneration = generation;
        List<String> names =
                java.util.Arrays.stream(policies).map(CompiledPolicy::name).toList();
        long newestObject =
                names.stream().mapToLong(objectGenerations::get).max().orElse(0);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(
                NodeConfig.SECRET_KEY_V4,
                base64(NodeConfigCodec.writeIndex(
                        new NodeConfigIndex(NodeConfigIndex.API_VERSION, generation, newestObject, names, null))));
        if (withV2) {
            data.put(
                    NodeConfig.SECRET_KEY_V2,
                    base64(NodeConfigCodec.write(
                            new NodeConfig(NodeConfig.API_VERSION_V2, generation, List.of(policies)))));
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

    private static void staysAt(NodeConfigWatcher watcher, long generation) {
        await().during(Duration.ofMillis(300))
                .atMost(Duration.ofSeconds(2))
                .until(() -> watcher.get().generation() == generation);
    }

    @Test
    void theIndexAndItsObjectsAreAppliedAsOneV2ConfigAndTheAgentSaysItReadsV4() {
        publish(false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 3);
            assertThat(watcher.get().bySelector()).isTrue();
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws", "kubeconfig");
            assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V4);
        }
    }

    @Test
    void anEditArrivesAsItsObjectAloneAtTheNextGeneration() {
        publish(false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 3);

            edit(policy("fake-aws", "edited"));

            await().until(() -> watcher.get().generation() == 4);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("edited");
            assertThat(value(watcher.get(), "kubeconfig")).isEqualTo("k");
        }
    }

    @Test
    void anObjectWrittenForTheNextIndexWaitsForIt() {
        publish(false, policy("fake-aws", "a"));
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 2);

            // a change that edits fake-aws and adds kubeconfig: both objects need index 5, which is not written yet
            writeObject(policy("fake-aws", "edited"), 5);
            writeObject(policy("kubeconfig", "k"), 5);
            staysAt(watcher, 2);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("a");

            writeIndex(false, policy("fake-aws", "edited"), policy("kubeconfig", "k"));
            await().until(() -> watcher.get().generation() == 5);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("edited");
            assertThat(value(watcher.get(), "kubeconfig")).isEqualTo("k");
        }
    }

    @Test
    void anIndexThatSawANewerObjectThanTheNodeHoldsWaitsForIt() {
        publish(false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 3);
            // the index says it saw an object write at 9; none is held, as if the objects' watch were behind
            objectGenerations.put("kubeconfig", 9L);
            generation = 9;
            writeIndex(false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
            staysAt(watcher, 3);

            generation = 8;
            edit(policy("kubeconfig", "at nine"));
            await().until(() -> watcher.get().generation() == 10);
            assertThat(value(watcher.get(), "kubeconfig")).isEqualTo("at nine");
        }
    }

    @Test
    void aDeletedObjectOrIndexNeverDisarmsTheNode(@TempDir Path stateDir) {
        Path saved = stateDir.resolve(NodeConfigWatcher.SAVED);
        publish(false, policy("fake-aws", "a"), policy("kubeconfig", "k"));
        try (NodeConfigWatcher watcher = start(Optional.of(saved))) {
            await().until(() -> watcher.get().generation() == 3);

            client.secrets()
                    .inNamespace(OBJECTS)
                    .withName(PolicyObject.secretName("kubeconfig"))
                    .delete();
            // an edit while the object is gone is not applied either
            edit(policy("fake-aws", "b"));
            client.secrets()
                    .inNamespace(NAMESPACE)
                    .withName(NodeConfig.SECRET_NAME)
                    .delete();
            staysAt(watcher, 3);
            assertThat(watcher.get().policies()).hasSize(2);
        }
        // a restart starts from the last good config, assembled and saved as v2
        try (NodeConfigWatcher watcher = start(Optional.of(saved))) {
            assertThat(watcher.get().generation()).isEqualTo(3);
            assertThat(watcher.get().bySelector()).isTrue();
            assertThat(value(watcher.get(), "kubeconfig")).isEqualTo("k");

            // the operator stops naming the deleted policy: the node follows
            writeIndex(false, policy("fake-aws", "b"));
            await().until(() -> watcher.get().generation() == 5);
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws");
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("b");
        }
    }

    @Test
    void anAgentThatCannotReadThePolicyNamespaceReadsV2AndSaysSo() {
        publish(true, policy("fake-aws", "a"));
        apiServer.fail(request -> request.getPath().contains("/namespaces/" + OBJECTS + "/"), 403, "forbidden");
        try (NodeConfigWatcher watcher = start(Optional.empty())) {
            await().until(() -> watcher.get().generation() == 2);
            assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V2);
            assertThat(value(watcher.get(), "fake-aws")).isEqualTo("a");
        }
    }

    @Test
    void anAgentWithoutAPolicyNamespaceReadsV2() {
        publish(true, policy("fake-aws", "a"));
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            await().until(() -> watcher.get().generation() == 2);
            assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V2);
        }
    }
}
