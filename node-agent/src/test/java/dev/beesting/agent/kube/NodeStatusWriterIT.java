package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.tokens.FakeDetector;
import dev.beesting.agent.tokens.NamespaceLabelSource;
import dev.beesting.agent.tokens.Reconciler;
import dev.beesting.agent.tokens.TemplateRenderer;
import dev.beesting.agent.tokens.TokenPlanter;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenNodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeStatusWriterIT {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final NodeStatusWriter.Settings FAST = new NodeStatusWriter.Settings(
            Duration.ofSeconds(60), Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(200));

    private final MockApiServer apiServer = new MockApiServer();
    private final KubernetesClient client = apiServer.client();
    private final MutableClock clock = new MutableClock(T0);
    private final AtomicReference<NodeState> inputs =
            new AtomicReference<>(new NodeState("containerd", "2.1.9", true, "syscall", 7, 31, 0));

    @AfterEach
    void stop() {
        client.close();
        apiServer.close();
    }

    private NodeStatusWriter writer() {
        return NodeStatusWriter.start(client, "worker-1", "0.1.0", inputs::get, FAST, clock);
    }

    private HoneytokenNodeStatus status() {
        HoneytokenNode node =
                client.resources(HoneytokenNode.class).withName("worker-1").get();
        return node == null ? null : node.getStatus();
    }

    @Test
    void writesTheNodeStatusAtStartAndWhenWhatItReportsChanges() {
        try (NodeStatusWriter writer = writer()) {
            await().until(() -> status() != null);
            HoneytokenNodeStatus status = status();
            assertThat(status.runtime).isEqualTo("containerd 2.1.9");
            assertThat(status.runtimeName).isEqualTo("containerd");
            assertThat(status.runtimeVersion).isEqualTo("2.1.9");
            assertThat(status.nriConnected).isTrue();
            assertThat(status.detector).isEqualTo("syscall");
            assertThat(status.configFormat).as("this agent reads format v2").isEqualTo(NodeConfig.FORMAT_V2);
            assertThat(status.configGeneration).isEqualTo(7);
            assertThat(status.armedTokens).isEqualTo(31);
            assertThat(status.failedTokens).isZero();
            assertThat(status.agentVersion).isEqualTo("0.1.0");
            assertThat(status.lastHeartbeat).isEqualTo("2026-11-23T10:00:00Z");

            inputs.set(new NodeState("containerd", "2.1.9", true, "syscall", 8, 33, 1));
            writer.changed();
            await().until(() -> status().configGeneration == 8);
            assertThat(status().armedTokens).isEqualTo(33);
            assertThat(status().failedTokens).isEqualTo(1);
            assertThat(writer.writes()).isEqualTo(2);
        }
    }

    /**
     * With a periodic check far longer than the test, only the reconciler's announcement can make the writer look:
     * an applied generation reaches the HoneytokenNode without waiting for the check, as NodeCommand wires them.
     */
    @Test
    void aGenerationIsWrittenAsSoonAsTheAgentHasAppliedIt() {
        AtomicReference<NodeConfig> config = new AtomicReference<>(config(3));
        TokenPlanter planter = new TokenPlanter(
                Path.of("/nonexistent/beesting-state"),
                new FakeDetector(),
                new TemplateRenderer(),
                config::get,
                NamespaceLabelSource.namesOnly(),
                "worker-1");
        NodeStatusWriter.Settings slowCheck = new NodeStatusWriter.Settings(
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(10), Duration.ofMillis(200));
        try (Reconciler reconciler = new Reconciler(planter);
                NodeStatusWriter writer = NodeStatusWriter.start(
                        client,
                        "worker-1",
                        "0.1.0",
                        () -> new NodeState(
                                "containerd", "2.1.9", true, "syscall", reconciler.appliedGeneration(), 0, 0),
                        slowCheck,
                        clock)) {
            reconciler.onApplied(generation -> writer.changed());
            reconciler.request();
            await().atMost(Duration.ofSeconds(30)).until(() -> status() != null && status().configGeneration == 3);

            config.set(config(4));
            reconciler.request();

            await().atMost(Duration.ofSeconds(30)).until(() -> status().configGeneration == 4);
        }
    }

    private static NodeConfig config(long generation) {
        return new NodeConfig(NodeConfig.API_VERSION, generation, List.of());
    }

    /** fabric8 reads an object before a patch selected withName: a GET per heartbeat the writer has no use for. */
    @Test
    void aStatusWriteIsOnePatchWithNoReadBeforeIt() {
        String status = "PATCH /apis/beesting.dev/v1alpha1/honeytokennodes/worker-1/status";
        try (NodeStatusWriter writer = writer()) {
            await().until(() -> writer.writes() == 1);
            assertThat(apiServer.takeRequests())
                    .containsExactly("POST /apis/beesting.dev/v1alpha1/honeytokennodes", status);

            clock.advance(Duration.ofSeconds(60));
            writer.changed();
            await().until(() -> writer.writes() == 2);
            assertThat(apiServer.takeRequests()).containsExactly(status);
        }
    }

    @Test
    void aQuietNodeIsRewrittenOnlyAtTheHeartbeat() {
        try (NodeStatusWriter writer = writer()) {
            await().until(() -> writer.writes() == 1);
            await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> writer.writes() == 1);

            clock.advance(Duration.ofSeconds(60));
            writer.changed();
            await().until(() -> writer.writes() == 2);
            assertThat(status().lastHeartbeat).isEqualTo("2026-11-23T10:01:00Z");
        }
    }

    @Test
    void aChangeDuringAnApiOutageIsWrittenWhenTheServerReturns() {
        try (NodeStatusWriter writer = writer()) {
            await().until(() -> writer.writes() == 1);
            apiServer.stop();
            inputs.set(new NodeState("containerd", "2.1.9", false, "syscall", 7, 31, 0));
            writer.changed();
            await().until(() -> writer.writeErrors() > 0);

            apiServer.restart();
            await().until(() -> Boolean.FALSE.equals(status().nriConnected));
        }
    }
}
