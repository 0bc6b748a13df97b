package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.FakeDetector;
import dev.beesting.agent.tokens.Reconciler;
import dev.beesting.agent.tokens.RunningContainer;
import dev.beesting.agent.tokens.TemplateRenderer;
import dev.beesting.agent.tokens.TokenPlanter;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelector;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespace relabel on the API server reaches a running container as a config change does: the node's namespace
 * view hears it, asks the reconciler for a pass, and the pass plants (or takes away) the tokens of the v2 policies
 * whose namespace selector now matches.
 */
class NamespaceRelabelIT {
    private final MockApiServer apiServer = new MockApiServer();
    private final KubernetesClient client = apiServer.client();

    @TempDir
    Path stateDir;

    @TempDir
    Path liveDir;

    @AfterEach
    void stop() {
        client.close();
        apiServer.close();
    }

    private void label(String namespace, String team) {
        client.resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(namespace)
                        .withLabels(Map.of("team", team))
                        .endMetadata()
                        .build())
                .createOr(existing -> existing.update());
    }

    @Test
    void aRelabeledNamespaceGainsAndLosesTheTokensOfThePolicyThatSelectsIt() throws IOException {
        label("shop", "web");
        Path token = liveDir.resolve("credentials");
        NodeConfig config = new NodeConfig(
                NodeConfig.API_VERSION_V2,
                1,
                List.of(new CompiledPolicy(
                                "payments",
                                "uid-payments",
                                1,
                                List.of(),
                                null,
                                List.of(new CompiledToken(token.toString(), null, "AKIA\n", null)),
                                null,
                                null,
                                null)
                        .withSelector(new LabelSelector(Map.of("team", "payments"), null))));
        // this process stands for the running container: its root is the host's, its id a line of its own cgroup
        String selfId = Files.readString(Path.of("/proc/self/cgroup"))
                .lines()
                .findFirst()
                .orElseThrow();
        Workload web = new Workload("node-1", "shop", "web-1", "uid-web-1", Map.of(), "web", selfId, "busybox");

        try (NamespaceLabels namespaces = NamespaceLabels.start(client)) {
            TokenPlanter planter = new TokenPlanter(
                    stateDir, new FakeDetector(), new TemplateRenderer(), () -> config, namespaces, "node-1");
            try (Reconciler reconciler = new Reconciler(planter)) {
                namespaces.onChange(reconciler::request);
                await().until(() -> namespaces.labels("shop").isPresent());
                planter.started(
                        new RunningContainer(web, (int) ProcessHandle.current().pid()));
                reconciler.request();
                long passes = reconciler.passes();
                await().until(() -> reconciler.passes() > passes);
                assertThat(token).doesNotExist();

                label("shop", "payments");

                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(token));
                assertThat(token).hasContent("AKIA\n");
                await().until(() -> planter.armedCount() == 1);

                label("shop", "web");

                await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(token));
                assertThat(planter.armedCount()).isZero();
            }
        }
    }
}
