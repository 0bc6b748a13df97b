package dev.beesting.agent.nri.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.testing.ContainerdSuite;
import dev.beesting.agent.testing.CriClient.ExecResult;
import dev.beesting.agent.testing.CriClient.PodRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The plugin stub against a real containerd, driven through CRI; one subclass per containerd version. */
abstract class NriContainerdE2E extends ContainerdSuite {
    private static final String TOKEN_PATH = "/etc/beesting/token";

    private NriPlugin plugin;

    @AfterEach
    void removePodsAndPlugin() {
        cri.removeAllPods();
        if (plugin != null) {
            plugin.close();
            plugin = null;
        }
    }

    @Test
    void readOnlyBindMountAnsweredByTheHandlerAppearsInTheContainer() throws Exception {
        Path token = hostFile("token-1", "AKIAIOSFODNN7EXAMPLE\n");
        RecordingHandler handler = new RecordingHandler();
        handler.onCreate = (pod, c) -> pod.namespace().equals("shop")
                ? ContainerAdjustment.mounts(List.of(Mount.readOnlyBind(token.toString(), TOKEN_PATH)))
                : ContainerAdjustment.none();
        connect(handler);

        PodRef pod = cri.runPod("shop", "web", Map.of("app", "web"));
        String container = cri.startContainer(pod, "app", containerd.image());

        assertThat(cri.exec(container, "cat", TOKEN_PATH).stdout()).isEqualTo("AKIAIOSFODNN7EXAMPLE\n");
        ExecResult write = cri.exec(container, "sh", "-c", "echo stolen >> " + TOKEN_PATH);
        assertThat(write.exitCode()).isNotZero();
        assertThat(write.stderr()).containsIgnoringCase("read-only");
        assertThat(cri.exec(container, "grep", TOKEN_PATH, "/proc/mounts").stdout())
                .contains(" ro,")
                .contains("nosuid")
                .contains("nodev")
                .contains("noexec");
        assertThat(handler.created).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(container);
            assertThat(c.name()).isEqualTo("app");
            assertThat(c.podSandboxId()).isEqualTo(pod.id());
        });
    }

    @Test
    void newPodsStillStartAfterThePluginIsGone() throws Exception {
        connect(new RecordingHandler());
        plugin.close();

        PodRef pod = cri.runPod("shop", "after-plugin", Map.of());
        String container = cri.startContainer(pod, "app", containerd.image());

        assertThat(cri.exec(container, "true").exitCode()).isZero();
    }

    @Test
    void newPodsStillStartWhileAPluginHangs() throws Exception {
        try (HungPlugin hung = new HungPlugin(containerd.nriSocket())) {
            PodRef pod = cri.runPod("shop", "while-hung", Map.of());

            long start = System.nanoTime();
            String container = cri.startContainer(pod, "app", containerd.image());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(hung.createCalled.getCount()).isZero();
            assertThat(cri.exec(container, "true").exitCode()).isZero();
            // the runtime gave up on the plugin after its request timeout and dropped it
            assertThat(took).isLessThan(Duration.ofSeconds(10));
            await().until(() -> !hung.isConnected());
        }
    }

    @Test
    void synchronizeListsRunningContainersWithTheirMountsOnReconnect() throws Exception {
        Path token = hostFile("token-2", "ghp_example\n");
        RecordingHandler first = new RecordingHandler();
        first.onCreate =
                (pod, c) -> ContainerAdjustment.mounts(List.of(Mount.readOnlyBind(token.toString(), TOKEN_PATH)));
        connect(first);
        PodRef pod = cri.runPod("shop", "survivor", Map.of("app", "survivor"));
        String container = cri.startContainer(pod, "app", containerd.image());
        plugin.close();

        RecordingHandler second = new RecordingHandler();
        connect(second);

        RecordingHandler.Sync sync = second.synced.getFirst();
        assertThat(sync.pods())
                .filteredOn(p -> p.id().equals(pod.id()))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.namespace()).isEqualTo("shop");
                    assertThat(p.name()).isEqualTo("survivor");
                    assertThat(p.labels()).containsEntry("app", "survivor");
                });
        assertThat(sync.containers())
                .filteredOn(c -> c.id().equals(container))
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.state()).isEqualTo(Container.State.RUNNING);
                    assertThat(c.mounts())
                            .anySatisfy(m -> assertThat(m.destination()).isEqualTo(TOKEN_PATH));
                });
    }

    @Test
    void pluginReconnectsWhenContainerdRestartsAndIsSynchronizedAgain() throws Exception {
        Path token = hostFile("token-3", "restart\n");
        RecordingHandler handler = new RecordingHandler();
        handler.onCreate =
                (pod, c) -> ContainerAdjustment.mounts(List.of(Mount.readOnlyBind(token.toString(), TOKEN_PATH)));
        connect(handler);
        PodRef pod = cri.runPod("shop", "before-restart", Map.of());
        String before = cri.startContainer(pod, "app", containerd.image());

        containerd.restart();

        await().atMost(Duration.ofSeconds(20)).until(() -> handler.synced.size() >= 2 && plugin.isConnected());
        assertThat(handler.synced.getLast().containers())
                .extracting(Container::id)
                .contains(before);
        String after = cri.startContainer(cri.runPod("shop", "after-restart", Map.of()), "app", containerd.image());
        assertThat(cri.exec(after, "cat", TOKEN_PATH).stdout()).isEqualTo("restart\n");
        assertThat(plugin.stats().disconnects()).isEqualTo(1);
    }

    private void connect(RecordingHandler handler) {
        plugin = new NriPlugin(
                        NriPluginConfig.of("beesting-e2e", "50")
                                .withSocket(containerd.nriSocket())
                                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)),
                        handler)
                .start();
        await().atMost(Duration.ofSeconds(10)).until(() -> plugin.isConnected() && !handler.synced.isEmpty());
    }

    private Path hostFile(String name, String content) throws Exception {
        Path file = containerd.scratch().resolve(name);
        Files.writeString(file, content);
        return file;
    }
}
