package dev.beesting.agent.node;

import static org.awaitility.Awaitility.await;

import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.testing.Containerd;
import dev.beesting.agent.testing.CriClient;
import dev.beesting.agent.testing.CriClient.PodRef;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Live planting at scale, printed, not asserted: run by {@code hack/bench-live.sh} (named so the normal build does
 * not pick it up). Containers that run before the agent starts, on real containerd; the time from agent start to
 * every one of them armed, and from a policy's removal to every token gone.
 */
class LiveBenchmark {
    private static final String TOKEN_PATH = "/etc/beesting-bench-token";

    @Test
    void agentStartToAllRunningContainersArmed() throws Exception {
        String version = System.getProperty("bench.containerd", "2");
        int count = Integer.getInteger("bench.containers", 100);
        Path stateDir = Files.createTempDirectory("beesting-live-bench");
        AtomicReference<NodeConfig> config = new AtomicReference<>(config(1, policy()));
        try (Containerd containerd = Containerd.start(version);
                CriClient cri = new CriClient(containerd.socket())) {
            try {
                long created = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    PodRef pod = cri.runPod("cms", "cms-" + i, Map.of("app", "cms"));
                    cri.startContainer(pod, "web", containerd.image());
                }
                System.out.printf(
                        "BENCH live containerd=%s containers=%d started_in_ms=%d%n",
                        containerd.version(), count, (System.nanoTime() - created) / 1_000_000);

                long start = System.nanoTime();
                try (NodeAgent agent = NodeAgent.start(
                        new NodeAgent.Options(
                                containerd.nriSocket(), stateDir, "node-1", Detectors.DEFAULT_ORDER, Optional.empty()),
                        config::get,
                        List.of(alert -> {}))) {
                    await().atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> agent.planter().armedCount() == count);
                    long armed = System.nanoTime();
                    System.out.printf(
                            "BENCH live containerd=%s tier=%s containers=%d agent_start_to_all_armed_ms=%d failures=%d%n",
                            containerd.version(),
                            agent.tier().id(),
                            count,
                            (armed - start) / 1_000_000,
                            agent.planter().failures());

                    NodeConfig empty = config(2);
                    config.set(empty);
                    long removed = System.nanoTime();
                    agent.configChanged(empty);
                    await().atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> agent.planter().armedCount() == 0);
                    await().atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> agent.reconciler().passes() >= 2);
                    System.out.printf(
                            "BENCH live containerd=%s containers=%d policy_removed_to_all_deleted_ms=%d%n",
                            containerd.version(), count, (System.nanoTime() - removed) / 1_000_000);
                }
            } finally {
                cri.removeAllPods();
            }
        }
    }

    private static NodeConfig config(long generation, CompiledPolicy... policies) {
        return new NodeConfig(NodeConfig.API_VERSION, generation, List.of(policies));
    }

    private static CompiledPolicy policy() {
        return new CompiledPolicy(
                "bench",
                "uid-bench",
                1,
                List.of("cms"),
                new LabelSelector(Map.of("app", "cms"), null),
                List.of(new CompiledToken(TOKEN_PATH, null, null, "{{awsAccessKeyId}}\n")),
                null,
                null,
                null);
    }
}
