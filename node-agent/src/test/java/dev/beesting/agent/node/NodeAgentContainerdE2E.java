package dev.beesting.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.testing.ContainerdSuite;
import dev.beesting.agent.testing.CriClient.ExecResult;
import dev.beesting.agent.testing.CriClient.PodRef;
import dev.beesting.agent.tokens.NamespaceLabelSource;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.proto.cri.ContainerConfig;
import dev.beesting.proto.cri.ContainerMetadata;
import dev.beesting.proto.cri.ImageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole node agent (real detector on this kernel, token store, NRI plugin) against a real containerd, driven
 * through CRI like the kubelet would; one subclass per containerd version.
 */
abstract class NodeAgentContainerdE2E extends ContainerdSuite {
    private static final String KEY_PATH = "/var/run/secrets/eks.amazonaws.com/access_key_token";
    private static final NodeConfig CONFIG = config(List.of());

    /** The token policy; {@code ignoreProcesses} as given. */
    private static NodeConfig config(List<String> ignoreProcesses) {
        return new NodeConfig(
                NodeConfig.API_VERSION,
                1,
                List.of(new CompiledPolicy(
                        "fake-aws",
                        "uid-fake-aws",
                        1,
                        List.of("cms"),
                        new LabelSelector(Map.of("app", "cms"), null),
                        List.of(new CompiledToken(KEY_PATH, null, null, "{{awsAccessKeyId}}\n")),
                        null,
                        null,
                        ignoreProcesses)));
    }

    private final java.util.concurrent.atomic.AtomicReference<NodeConfig> config =
            new java.util.concurrent.atomic.AtomicReference<>(CONFIG);

    private NodeAgent agent;
    private final List<Alert> alerts = new CopyOnWriteArrayList<>();
    /** The namespace labels the agent sees (no API server here: the test supplies them). */
    private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
    /** Namespaces that arrive while CreateContainer waits for them, as a watch event would. */
    private final Map<String, Map<String, String>> arrivingDuringWait = new ConcurrentHashMap<>();

    private final NamespaceLabelSource namespaces = new NamespaceLabelSource() {
        @Override
        public Optional<Map<String, String>> labels(String namespace) {
            return Optional.ofNullable(namespaceLabels.get(namespace));
        }

        @Override
        public void awaitNamespace(String namespace, Duration max) {
            Map<String, String> arriving = arrivingDuringWait.remove(namespace);
            if (arriving != null && !namespaceLabels.containsKey(namespace)) {
                try {
                    Thread.sleep(max.dividedBy(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                namespaceLabels.put(namespace, arriving);
            }
        }
    };

    @TempDir
    Path stateDir;

    @TempDir
    Path mountDir;

    @BeforeEach
    void startAgent() throws Exception {
        alerts.clear();
        config.set(CONFIG); // one instance serves every test of the class
        namespaceLabels.clear();
        arrivingDuringWait.clear();
        agent = startNodeAgent();
    }

    @AfterEach
    void removePodsAndAgent() {
        cri.removeAllPods();
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void matchingContainerGetsItsOwnReadOnlyToken() {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String first = cri.startContainer(pod, "web", containerd.image());
        String second = cri.startContainer(pod, "sidecar", containerd.image());

        String firstKey = cri.exec(first, "cat", KEY_PATH).stdout();
        assertThat(firstKey).matches("AKIA[A-Z2-7]{16}\n");
        assertThat(cri.exec(second, "cat", KEY_PATH).stdout())
                .matches("AKIA[A-Z2-7]{16}\n")
                .isNotEqualTo(firstKey);
        ExecResult write = cri.exec(first, "sh", "-c", "echo x > " + KEY_PATH);
        assertThat(write.exitCode()).isNotZero();
        assertThat(cri.exec(first, "grep", KEY_PATH, "/proc/mounts").stdout()).contains(" ro,");
    }

    /** Format v2: the fake-aws policy selects namespaces labeled team=payments. */
    private static NodeConfig v2Config() {
        CompiledPolicy policy = CONFIG.policies().getFirst();
        return new NodeConfig(
                NodeConfig.API_VERSION_V2,
                2,
                List.of(policy.withSelector(new LabelSelector(Map.of("team", "payments"), null))));
    }

    @Test
    void aV2PolicySelectsTheNamespaceByItsLabels() {
        config.set(v2Config());
        namespaceLabels.put("shop", Map.of(NamespaceLabelSource.NAME_LABEL, "shop", "team", "payments"));
        namespaceLabels.put("cms", Map.of(NamespaceLabelSource.NAME_LABEL, "cms", "team", "web"));
        PodRef selected = cri.runPod("shop", "shop-web", Map.of("app", "cms"));
        PodRef other = cri.runPod("cms", "cms-web", Map.of("app", "cms"));

        String planted = cri.startContainer(selected, "web", containerd.image());
        String notPlanted = cri.startContainer(other, "web", containerd.image());

        assertThat(cri.exec(planted, "cat", KEY_PATH).stdout()).matches("AKIA[A-Z2-7]{16}\n");
        assertThat(cri.exec(notPlanted, "cat", KEY_PATH).exitCode()).isNotZero();
        assertThat(agent.planter().armedCount()).isEqualTo(1);
    }

    @Test
    void aNamespaceThatArrivesWhileCreateContainerWaitsGetsItsTokenMountedAtCreation() {
        config.set(v2Config());
        arrivingDuringWait.put(
                "payments-new", Map.of(NamespaceLabelSource.NAME_LABEL, "payments-new", "team", "payments"));
        PodRef pod = cri.runPod("payments-new", "api", Map.of("app", "cms"));

        String container = cri.startContainer(pod, "web", containerd.image());

        assertThat(arrivingDuringWait)
                .as("CreateContainer waited for the namespace")
                .isEmpty();
        // a mount, made at creation: not a live token planted after the namespace arrived
        assertThat(cri.exec(container, "grep", KEY_PATH, "/proc/mounts").stdout())
                .contains(" ro,");
        assertThat(cri.exec(container, "cat", KEY_PATH).stdout()).matches("AKIA[A-Z2-7]{16}\n");
    }

    @Test
    void podOutsideTheSelectorsGetsNothing() {
        PodRef otherNamespace = cri.runPod("shop", "shop-web", Map.of("app", "cms"));
        PodRef otherLabels = cri.runPod("cms", "cms-db", Map.of("app", "db"));
        for (PodRef pod : List.of(otherNamespace, otherLabels)) {
            String container = cri.startContainer(pod, "main", containerd.image());
            assertThat(cri.exec(container, "cat", KEY_PATH).exitCode()).isNotZero();
        }
        assertThat(agent.planter().armedCount()).isZero();
    }

    @Test
    void catOfTheTokenIsAnAlertAttributedToItsContainer() {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String container = cri.startContainer(pod, "web", containerd.image());

        cri.exec(container, "cat", KEY_PATH);

        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
        Alert alert = alerts.getFirst();
        assertThat(alert.opener().comm()).isEqualTo("cat");
        assertThat(alert.token().path()).isEqualTo(KEY_PATH);
        assertThat(alert.token().policy()).isEqualTo("fake-aws");
        assertThat(alert.token().workload().namespace()).isEqualTo("cms");
        assertThat(alert.token().workload().pod()).isEqualTo("cms-web");
        assertThat(alert.token().workload().podUid())
                .isEqualTo(pod.config().getMetadata().getUid());
        assertThat(alert.token().workload().container()).isEqualTo("web");
        assertThat(alert.token().workload().containerId()).isEqualTo(container);
        assertThat(alert.tier()).isEqualTo(agent.tier().id());
    }

    @Test
    void removedContainerLosesItsTokenFileAndArm() {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String container = cri.startContainer(pod, "web", containerd.image());
        Path tokenDir = stateDir.resolve("tokens").resolve(container);
        assertThat(tokenDir).isDirectory();

        cri.removeContainer(container);

        await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(tokenDir));
        assertThat(agent.planter().armedCount()).isZero();
    }

    @Test
    void restartedAgentDetectsRunningContainersAgainAndDropsOrphans() throws Exception {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String kept = cri.startContainer(pod, "web", containerd.image());
        String removed = cri.startContainer(pod, "job", containerd.image());
        agent.close();
        agent = null;
        cri.removeContainer(removed);
        PodRef startedWhileDown = cri.runPod("cms", "cms-late", Map.of("app", "cms"));
        cri.startContainer(startedWhileDown, "web", containerd.image());

        agent = startNodeAgent();

        await().atMost(Duration.ofSeconds(15)).until(() -> agent.planter().armedCount() == 1);
        // the container started while the agent was down has no folder for the token: nothing is planted live
        assertThat(stateDir.resolve("tokens").resolve(removed)).doesNotExist();
        cri.exec(kept, "cat", KEY_PATH);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> alerts.stream()
                        .anyMatch(a -> a.token().workload().containerId().equals(kept)));
    }

    @Test
    void aTokenNeverReplacesAFileThePodMounts() throws Exception {
        Path real = Files.writeString(mountDir.resolve("access_key_token"), "the pod's real token\n");
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));

        String container = cri.startContainer(pod, withMount("web", KEY_PATH, real));

        assertThat(cri.exec(container, "cat", KEY_PATH).stdout()).isEqualTo("the pod's real token\n");
        assertThat(agent.planter().tokens(container)).isEmpty();
        assertThat(agent.state().skippedTokens()).containsEntry("fake-aws", 1);
        assertThat(agent.planter().skippedTotal()).isEqualTo(1);
    }

    @Test
    void aTokenNeverHidesAFileInAFolderThePodMounts() throws Exception {
        // the way a Secret volume holds real credentials: a folder, the file inside it
        Files.writeString(mountDir.resolve("access_key_token"), "the pod's real token\n");
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));

        String container = cri.startContainer(
                pod, withMount("web", Path.of(KEY_PATH).getParent().toString(), mountDir));

        assertThat(cri.exec(container, "cat", KEY_PATH).stdout()).isEqualTo("the pod's real token\n");
        assertThat(agent.planter().tokens(container)).isEmpty();
        assertThat(agent.state().skippedTokens()).containsEntry("fake-aws", 1);

        cri.removeContainer(container);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> agent.state().skippedTokens().isEmpty());
    }

    @Test
    void ignoreProcessesNeverTrustsAnExecutableTheContainerWroteUnderThatPath() {
        // busybox's applets are one file: cat runs /bin/busybox, which the image shipped
        config.set(config(List.of("/bin/busybox", "/bin/backup-agent")));
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        String container = cri.startContainer(pod, "web", containerd.image());

        assertThat(cri.exec(container, "cat", KEY_PATH).exitCode()).isZero();
        // the attack: the same program under the whitelisted path, written at run time
        // (a link named cat makes busybox run its cat applet; the process still runs the copied file)
        assertThat(cri.exec(
                                container,
                                "sh",
                                "-c",
                                "cp /bin/busybox /bin/backup-agent && mkdir /tmp/x && ln -s /bin/backup-agent /tmp/x/cat")
                        .exitCode())
                .isZero();
        assertThat(cri.exec(container, "/tmp/x/cat", KEY_PATH).exitCode()).isZero();

        await().atMost(Duration.ofSeconds(10)).until(() -> !alerts.isEmpty());
        assertThat(alerts)
                .extracting(alert -> alert.opener().exe())
                .as("the image's own busybox is ignored, the copy is not")
                .containsOnly("/bin/backup-agent");
        assertThat(agent.pipeline().ignored()).isEqualTo(1);
        assertThat(agent.pipeline().untrusted()).isEqualTo(1);
    }

    @Test
    void theParentChainTellsTheContainersOwnProcessesFromAnExec() {
        PodRef pod = cri.runPod("cms", "cms-web", Map.of("app", "cms"));
        // the container's own tree: its first process starts a shell that reads the token a moment later
        String container = cri.startContainer(
                pod,
                ContainerConfig.newBuilder()
                        .setMetadata(ContainerMetadata.newBuilder().setName("web"))
                        .setImage(ImageSpec.newBuilder().setImage(containerd.image()))
                        .addCommand("sh")
                        .addArgs("-c")
                        .addArgs("sleep 2; sh -c 'cat " + KEY_PATH + " >/dev/null; sleep 1'; exec sleep 3600")
                        .build());

        Alert own = awaitAlert(a -> a.opener().comm().equals("cat"));
        assertThat(own.opener().lineage().origin()).isEqualTo(Origin.CONTAINER);
        assertThat(own.opener().lineage().ancestors())
                .extracting(Ancestor::comm)
                .startsWith("sh", "sh");
        assertThat(own.opener().lineage().ancestors().get(1).tgid())
                .as("the container's first process")
                .isEqualTo(agent.planter().containerInit(container).pid());

        // an exec, as kubectl exec makes one: the runtime starts sh in the container from outside it
        ExecResult exec = cri.exec(container, "sh", "-c", "cat " + KEY_PATH + " >/dev/null; sleep 1");
        assertThat(exec.exitCode()).as(exec.stderr()).isZero();

        Alert fromExec = awaitAlert(a -> a.opener().lineage().origin() == Origin.EXEC);
        assertThat(fromExec.opener().comm()).isEqualTo("cat");
        assertThat(fromExec.opener().lineage().parent().orElseThrow().comm()).isEqualTo("sh");
        assertThat(fromExec.opener().lineage().parentCmdline())
                .isEqualTo("sh -c cat " + KEY_PATH + " >/dev/null; sleep 1");
        assertThat(fromExec.opener().lineage().parentExe()).matches("/bin/(sh|busybox)");

        // cat itself exec'd into the container: its parent is the runtime, outside it
        int before = alerts.size();
        assertThat(cri.exec(container, "cat", KEY_PATH).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(15)).until(() -> alerts.size() > before);
        Alert bareExec = alerts.get(before);
        assertThat(bareExec.opener().lineage().origin()).as(bareExec.toString()).isEqualTo(Origin.EXEC);
        assertThat(bareExec.opener().lineage().entryTgid())
                .as(bareExec.toString())
                .isEqualTo(bareExec.opener().tgid());
    }

    private Alert awaitAlert(java.util.function.Predicate<Alert> match) {
        return await().atMost(Duration.ofSeconds(15))
                .until(() -> alerts.stream().filter(match).findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    private ContainerConfig withMount(String name, String containerPath, Path hostPath) {
        return ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(name))
                .setImage(ImageSpec.newBuilder().setImage(containerd.image()))
                .addMounts(dev.beesting.proto.cri.Mount.newBuilder()
                        .setContainerPath(containerPath)
                        .setHostPath(hostPath.toString())
                        .setReadonly(true))
                .build();
    }

    private NodeAgent startNodeAgent() throws Exception {
        return NodeAgent.start(
                new NodeAgent.Options(
                        containerd.nriSocket(), stateDir, "node-1", Detectors.DEFAULT_ORDER, Optional.empty()),
                config::get,
                namespaces,
                List.of(alerts::add),
                (method, latency) -> {});
    }
}
