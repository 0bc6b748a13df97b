package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigWatcherIT {
    private static final String NAMESPACE = "beesting-system";

    private final MockApiServer apiServer = new MockApiServer();
    private final KubernetesClient client = apiServer.client();

    @AfterEach
    void stop() {
        client.close();
        apiServer.close();
    }

    private static NodeConfig config(long generation, String... policies) {
        return new NodeConfig(
                NodeConfig.API_VERSION,
                generation,
                java.util.Arrays.stream(policies)
                        .map(name -> new CompiledPolicy(
                                name, "uid-" + name, 1, List.of("cms"), null, List.of(), null, null, null))
                        .toList());
    }

    private static Secret secret(String name, String document) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToData(
                        NodeConfig.SECRET_KEY,
                        Base64.getEncoder().encodeToString(document.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    private void write(String name, String document) {
        client.resource(secret(name, document)).createOr(existing -> existing.update());
    }

    @Test
    void anApiServerThatRefusesTheFirstListDoesNotKeepTheWatcherFromStartingAndIsRetried() {
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(1, "fake-aws")));
        apiServer.fail(request -> request.getPath().contains("/secrets"), 503, "etcd unavailable");

        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            assertThat(watcher.get().generation()).as("no config yet").isZero();

            apiServer.fail(request -> false, 503, "");

            await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> watcher.get().generation() == 1);
        }
    }

    @Test
    void anApiServerThatIsDownAtStartIsFollowedOnceItIsUp() {
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(1, "fake-aws")));
        apiServer.stop();

        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            apiServer.restart();

            await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> watcher.get().generation() == 1);
        }
    }

    @Test
    void appliesTheSecretsConfigAndEveryNewGeneration() {
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(1, "fake-aws")));
        List<NodeConfig> seen = new CopyOnWriteArrayList<>();
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            watcher.onNewGeneration(seen::add);
            await().until(() -> watcher.get().generation() == 1);
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws");

            write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(2, "fake-aws", "kubeconfig")));
            await().until(() -> watcher.get().generation() == 2);
            assertThat(watcher.get().policies()).hasSize(2);
            // the listener joined after start: it may or may not have seen generation 1, but it sees 2 once
            await().until(() -> seen.stream().anyMatch(c -> c.generation() == 2));
            assertThat(seen).extracting(NodeConfig::generation).containsOnlyOnce(2L);
        }
    }

    @Test
    void startsEmptyAndPicksUpTheSecretOnceTheOperatorWritesIt() {
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            assertThat(watcher.get()).isEqualTo(NodeConfig.empty());
            write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(3, "fake-aws")));
            await().until(() -> watcher.get().generation() == 3);
        }
    }

    @Test
    void aRestartedAgentStartsFromTheLastGoodConfigWhileTheSecretIsMissingOrRejected(@TempDir Path stateDir)
            throws java.io.IOException {
        Path saved = stateDir.resolve(NodeConfigWatcher.SAVED);
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(7, "fake-aws")));
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            await().until(() -> watcher.get().generation() == 7);
        }
        // it holds resolved Secret values and the decoy key: readable by the agent's user only
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(saved)))
                .isEqualTo("rw-------");

        // the operator is down and the Secret gone: the agent restarts with what it last knew, not with no policies
        client.secrets().inNamespace(NAMESPACE).withName(NodeConfig.SECRET_NAME).delete();
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            assertThat(watcher.get().generation()).isEqualTo(7);
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws");
        }

        // a Secret written by a newer operator (a format this agent cannot read) changes nothing either
        write(NodeConfig.SECRET_NAME, "{\"apiVersion\":\"beesting.dev/nodeconfig/v9\",\"generation\":8}");
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> watcher.get().generation() == 7);
        }
    }

    @Test
    void aBadDocumentIsIgnoredAndTheLastGoodConfigKept() {
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(4, "fake-aws")));
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE)) {
            await().until(() -> watcher.get().generation() == 4);
            write(NodeConfig.SECRET_NAME, "{ not json");
            write("unrelated", NodeConfigCodec.write(config(99, "other")));
            write(NodeConfig.SECRET_NAME, "{\"apiVersion\":\"beesting.dev/nodeconfig/v0\",\"generation\":98}");
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> watcher.get().generation() == 4);

            write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(5, "fake-aws")));
            await().until(() -> watcher.get().generation() == 5);
        }
    }

    private static NodeConfig v2(long generation, String... policies) {
        NodeConfig v1 = config(generation, policies);
        return new NodeConfig(
                NodeConfig.API_VERSION_V2,
                generation,
                v1.policies().stream().map(p -> p.withSelector(null)).toList());
    }

    /** The Secret as the operator writes it during an upgrade: v1 and v2 side by side, v2 possibly in stringData. */
    private void writeBoth(NodeConfig v1, NodeConfig v2, boolean v2AsStringData) {
        SecretBuilder secret = new SecretBuilder(secret(NodeConfig.SECRET_NAME, NodeConfigCodec.write(v1)));
        if (v2AsStringData) {
            secret.addToStringData(NodeConfig.SECRET_KEY_V2, NodeConfigCodec.write(v2));
        } else {
            secret.addToData(
                    NodeConfig.SECRET_KEY_V2,
                    Base64.getEncoder().encodeToString(NodeConfigCodec.write(v2).getBytes(StandardCharsets.UTF_8)));
        }
        client.resource(secret.build()).createOr(existing -> existing.update());
    }

    @Test
    void readsTheV2KeyWhereTheSecretHasItAndV1Otherwise(@TempDir Path stateDir) throws Exception {
        Path saved = stateDir.resolve(NodeConfigWatcher.SAVED);
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(1, "fake-aws")));
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            await().until(() -> watcher.get().generation() == 1);
            assertThat(watcher.get().bySelector())
                    .as("only v1 written: v1 read")
                    .isFalse();

            // the operator of this release writes both; the v1 document names a policy v2 does not, to tell them apart
            writeBoth(config(2, "fake-aws", "only-in-v1"), v2(2, "fake-aws"), false);
            await().until(() -> watcher.get().generation() == 2);
            assertThat(watcher.get().bySelector()).isTrue();
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("fake-aws");
            assertThat(watcher.get().policies().getFirst().namespaces()).isEmpty();
            assertThat(java.nio.file.Files.readString(saved)).contains(NodeConfig.API_VERSION_V2);

            // v2 in stringData is preferred as well
            writeBoth(config(3, "fake-aws", "only-in-v1"), v2(3, "kubeconfig"), true);
            await().until(() -> watcher.get().generation() == 3);
            assertThat(watcher.get().policies())
                    .extracting(CompiledPolicy::name)
                    .containsExactly("kubeconfig");

            // a v2 document this agent rejects keeps the last good config, as a rejected v1 does
            writeBoth(config(4, "fake-aws"), new NodeConfig("beesting.dev/nodeconfig/v9", 4, List.of()), true);
            await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(2))
                    .until(() -> watcher.get().generation() == 3);
        }
        // a restart starts from the saved v2 config
        client.secrets().inNamespace(NAMESPACE).withName(NodeConfig.SECRET_NAME).delete();
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            assertThat(watcher.get().generation()).isEqualTo(3);
            assertThat(watcher.get().bySelector()).isTrue();
        }
    }

    @Test
    void theSameGenerationInTheOtherFormatIsAppliedSoTheAgentLeavesV1BehindWhenTheOperatorDoes(@TempDir Path stateDir) {
        Path saved = stateDir.resolve(NodeConfigWatcher.SAVED);
        write(NodeConfig.SECRET_NAME, NodeConfigCodec.write(config(5, "fake-aws")));
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            await().until(() -> watcher.get().generation() == 5);
        }
        // the agent was upgraded and the operator added v2 without a new generation (the content is the same)
        writeBoth(config(5, "fake-aws"), v2(5, "fake-aws"), false);
        try (NodeConfigWatcher watcher = NodeConfigWatcher.start(client, NAMESPACE, Optional.of(saved))) {
            assertThat(watcher.get().bySelector())
                    .as("the saved v1 config first")
                    .isFalse();
            await().until(() -> watcher.get().bySelector());
            assertThat(watcher.get().generation()).isEqualTo(5);
        }
    }
}
