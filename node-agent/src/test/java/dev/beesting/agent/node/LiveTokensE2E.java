package dev.beesting.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.testing.ContainerdSuite;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens for containers that already run, and policy changes followed both ways, on a real containerd with the
 * real detector; one subclass per containerd version.
 */
abstract class LiveTokensE2E extends ContainerdSuite {
    private static final String KEY_DIR = "/var/run/secrets/eks.amazonaws.com";
    private static final String KEY_PATH = KEY_DIR + "/access_key_token";
    private static final String CONTROL_PATH = "/etc/control-token";

    private NodeAgent agent;
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    private final AtomicReference<NodeConfig> config = new AtomicReference<>();

    @TempDir
    Path stateDir;

    @BeforeEach
    void reset() {
        alerts.clear();
        config.set(config(1, awsPolicy(KEY_PATH), controlPolicy()));
    }

    @AfterEach
    void removePodsAndAgent() {
        cri.removeAllPods();
        if (agent != null) {
            agent.close();
            agent = null;
        }
    }

    @Test
    void containerStartedWhileTheAgentWasDownGetsItsTokenAndACatIsAttributed() throws Exception {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String container = runningWithKeyDir(pod, "web");

        long start = System.nanoTime();
        agent = startAgent();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 1);
        System.out.printf("live token armed %d ms after agent start%n", (System.nanoTime() - start) / 1_000_000);

        assertThat(cri.exec(container, "cat", KEY_PATH).stdout()).matches("AKIA[A-Z2-7]{16}\n");
        assertThat(cri.exec(container, "stat", "-c", "%a %u", KEY_PATH).stdout())
                .isEqualTo("444 0\n");
        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
        Alert alert = alerts.getFirst();
        assertThat(alert.opener().comm()).isEqualTo("cat");
        assertThat(alert.token().path()).isEqualTo(KEY_PATH);
        assertThat(alert.token().policy()).isEqualTo("fake-aws");
        assertThat(alert.token().workload().pod()).isEqualTo("cms-web");
        assertThat(alert.token().workload().podUid())
                .isEqualTo(pod.config().getMetadata().getUid());
        assertThat(alert.token().workload().container()).isEqualTo("web");
        assertThat(alert.token().workload().containerId()).isEqualTo(container);
    }

    @Test
    void liveTokenIsReArmedNotPlantedAgainAfterAnAgentRestart() throws Exception {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String container = runningWithKeyDir(pod, "web");
        agent = startAgent();
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 1);
        String planted = cri.exec(container, "cat", KEY_PATH).stdout();
        agent.close();
        alerts.clear();

        agent = startAgent();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.reconciler().passes() > 0);
        assertThat(agent.planter().failures()).isZero();
        assertThat(cri.exec(container, "cat", KEY_PATH).stdout()).isEqualTo(planted);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> alerts.stream()
                        .anyMatch(a -> a.token().workload().containerId().equals(container)));
    }

    @Test
    void symlinksPlantedByTheContainerNeverLeadTheAgentOutToTheHost() throws Exception {
        Path hostDir = Files.createDirectories(containerd.scratch().resolve("host-dir"));
        Path hostFile = Files.writeString(containerd.scratch().resolve("host-file"), "host secret");
        config.set(config(1, awsPolicy("/tokens/dir/key", "/tokens/file"), controlPolicy()));
        PodRef pod = cri.runPod("cms", "cms-evil", Map.of("app", "cms"));
        String container = cri.startContainer(pod, "evil", containerd.image());
        assertThat(cri.exec(
                                container,
                                "sh",
                                "-c",
                                "mkdir /tokens && ln -s " + hostDir + " /tokens/dir && ln -s " + hostFile
                                        + " /tokens/file")
                        .exitCode())
                .isZero();

        agent = startAgent();

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().failures() == 2);
        assertThat(agent.planter().armedCount()).isZero();
        assertThat(hostDir).isEmptyDirectory();
        assertThat(hostFile).hasContent("host secret");
        assertThat(agent.state().failedTokens()).isEqualTo(2);
    }

    @Test
    void deletedPolicyTakesBothKindsOfTokenAwayAndAnAddedOneBringsThemBack() throws Exception {
        PodRef early = cri.runPod("cms", "cms-early", Map.of("app", "cms"));
        String live = runningWithKeyDir(early, "web");
        agent = startAgent();
        // armed live means the agent has synchronized with the runtime: from now on new containers get mounts
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 1);
        PodRef late = cri.runPod("cms", "cms-late", Map.of("app", "cms"));
        String mounted = cri.startContainer(late, "web", containerd.image());
        PodRef other = cri.runPod("ops", "ops-tool", Map.of("app", "ops"));
        String control = cri.startContainer(other, "tool", containerd.image());
        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 3);

        NodeConfig withoutAws = config(2, controlPolicy());
        config.set(withoutAws);
        agent.configChanged(withoutAws);

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 1);
        assertThat(cri.exec(live, "ls", KEY_PATH).exitCode()).isNotZero();
        assertThat(cri.exec(mounted, "cat", KEY_PATH).stdout()).isEmpty();
        alerts.clear();
        cri.exec(live, "cat", KEY_PATH);
        cri.exec(mounted, "cat", KEY_PATH);
        // alerts arrive in order: once the control token's is here, none of the earlier opens raised one
        cri.exec(control, "cat", CONTROL_PATH);
        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
        assertThat(alerts).allMatch(a -> a.token().path().equals(CONTROL_PATH));

        NodeConfig withAws = config(3, awsPolicy(KEY_PATH), controlPolicy());
        config.set(withAws);
        agent.configChanged(withAws);

        await().atMost(Duration.ofSeconds(10)).until(() -> agent.planter().armedCount() == 3);
        assertThat(cri.exec(live, "cat", KEY_PATH).stdout()).matches("AKIA[A-Z2-7]{16}\n");
        assertThat(cri.exec(mounted, "cat", KEY_PATH).stdout()).matches("AKIA[A-Z2-7]{16}\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> alerts.stream()
                                .filter(a -> a.token().path().equals(KEY_PATH))
                                .map(a -> a.token().workload().containerId())
                                .distinct()
                                .count()
                        == 2);
        assertThat(agent.planter().failures()).isZero();
    }

    /** A running container whose image has the token's folder, as an app using that credential would. */
    private String runningWithKeyDir(PodRef pod, String name) {
        String container = cri.startContainer(pod, name, containerd.image());
        assertThat(cri.exec(container, "mkdir", "-p", KEY_DIR).exitCode()).isZero();
        return container;
    }

    private NodeAgent startAgent() throws Exception {
        return NodeAgent.start(
                new NodeAgent.Options(
                        containerd.nriSocket(), stateDir, "node-1", Detectors.DEFAULT_ORDER, Optional.empty()),
                config::get,
                List.of(alerts::add));
    }

    private static NodeConfig config(long generation, CompiledPolicy... policies) {
        return new NodeConfig(NodeConfig.API_VERSION, generation, List.of(policies));
    }

    private static CompiledPolicy awsPolicy(String... paths) {
        return new CompiledPolicy(
                "fake-aws",
                "uid-fake-aws",
                1,
                List.of("cms"),
                new LabelSelector(Map.of("app", "cms"), null),
                java.util.Arrays.stream(paths)
                        .map(p -> new CompiledToken(p, null, null, "{{awsAccessKeyId}}\n"))
                        .toList(),
                null,
                null,
                null);
    }

    private static CompiledPolicy controlPolicy() {
        return new CompiledPolicy(
                "control",
                "uid-control",
                1,
                List.of("ops"),
                new LabelSelector(Map.of(), null),
                List.of(new CompiledToken(CONTROL_PATH, null, "control", null)),
                null,
                null,
                null);
    }
}
