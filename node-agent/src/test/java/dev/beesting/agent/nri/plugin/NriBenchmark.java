package dev.beesting.agent.nri.plugin;

import static org.awaitility.Awaitility.await;

import dev.beesting.agent.testing.Containerd;
import dev.beesting.agent.testing.CriClient;
import dev.beesting.agent.testing.CriClient.PodRef;
import dev.beesting.proto.nri.CreateContainerRequest;
import dev.beesting.proto.nri.CreateContainerResponse;
import dev.beesting.proto.nri.PodSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers for the NRI path, printed, not asserted: run by {@code hack/bench-nri.sh} (named so the normal build
 * does not pick it up). CreateContainer handling through the plugin over a real socket, and pod start time on
 * real containerd with and without the plugin.
 */
class NriBenchmark {
    private static final int WARMUP = 3000;
    private static final int REQUESTS = 1000;
    private static final int ROUNDS = 4;
    private static final int PODS_PER_ROUND = 8;

    @Test
    void createContainerHandlingTime() throws Exception {
        Path dir = Files.createTempDirectory("nri-bench");
        Path socket = dir.resolve("nri.sock");
        RecordingHandler handler = new RecordingHandler();
        handler.onCreate = (pod, c) -> ContainerAdjustment.mounts(
                List.of(Mount.readOnlyBind("/var/lib/beesting/tokens/" + c.id() + "/0", "/etc/beesting/token")));
        try (FakeRuntime runtime = new FakeRuntime(socket);
                NriPlugin plugin =
                        new NriPlugin(NriPluginConfig.of("bench", "50").withSocket(socket), handler).start()) {
            FakeRuntime.PluginConnection connection = runtime.awaitPlugin();
            connection.configure();
            PodSandbox pod = PodSandbox.newBuilder()
                    .setId("pod")
                    .setName("web")
                    .setNamespace("shop")
                    .putLabels("app", "web")
                    .build();
            long[] nanos = new long[REQUESTS];
            for (int i = 0; i < WARMUP + REQUESTS; i++) {
                CreateContainerRequest request = CreateContainerRequest.newBuilder()
                        .setPod(pod)
                        .setContainer(dev.beesting.proto.nri.Container.newBuilder()
                                .setId("c" + i)
                                .setPodSandboxId("pod")
                                .setName("app"))
                        .build();
                long start = System.nanoTime();
                connection.call("CreateContainer", request, CreateContainerResponse.parser());
                if (i >= WARMUP) {
                    nanos[i - WARMUP] = System.nanoTime() - start;
                }
            }
            report("CreateContainer round trip through the plugin (unix socket, " + REQUESTS + " requests)", nanos);
        } finally {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    @ParameterizedTest(name = "containerd {0}")
    @ValueSource(strings = {"1.7", "2"})
    void podStartTimeWithAndWithoutThePlugin(String version) throws Exception {
        try (Containerd containerd = Containerd.start(version);
                CriClient cri = new CriClient(containerd.socket())) {
            Path token = containerd.scratch().resolve("token");
            Files.writeString(token, "AKIAIOSFODNN7EXAMPLE\n");
            RecordingHandler handler = new RecordingHandler();
            handler.onCreate = (pod, c) ->
                    ContainerAdjustment.mounts(List.of(Mount.readOnlyBind(token.toString(), "/etc/beesting/token")));
            startPods(cri, containerd, 3); // warm-up: image unpacked, shim binaries cached
            List<Long> without = new ArrayList<>();
            List<Long> with = new ArrayList<>();
            // blocks of pods alternate between the two modes, so drift of a shared machine hits both alike
            for (int round = 0; round < ROUNDS; round++) {
                Arrays.stream(startPods(cri, containerd, PODS_PER_ROUND)).forEach(without::add);
                try (NriPlugin plugin = new NriPlugin(
                                NriPluginConfig.of("bench", "50").withSocket(containerd.nriSocket()), handler)
                        .start()) {
                    await().until(() -> plugin.isConnected() && plugin.stats().synchronizations() > 0);
                    startPods(cri, containerd, 1); // the first call after a connect warms the plugin's path
                    Arrays.stream(startPods(cri, containerd, PODS_PER_ROUND)).forEach(with::add);
                }
            }
            cri.removeAllPods();
            String label = "pod start (RunPodSandbox+CreateContainer+StartContainer) on containerd "
                    + containerd.version() + ", " + ROUNDS * PODS_PER_ROUND + " pods";
            long[] a = without.stream().mapToLong(Long::longValue).toArray();
            long[] b = with.stream().mapToLong(Long::longValue).toArray();
            report(label + ", without plugin", a);
            report(label + ", with plugin", b);
            System.out.printf(
                    "BENCH pod start median slowdown with plugin: %+.1f %%%n",
                    100.0 * (percentile(b, 50) - percentile(a, 50)) / percentile(a, 50));
        }
    }

    private static long[] startPods(CriClient cri, Containerd containerd, int count) {
        long[] nanos = new long[count];
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            PodRef pod = cri.runPod("bench", "pod-" + System.nanoTime(), Map.of());
            cri.startContainer(pod, "app", containerd.image());
            nanos[i] = System.nanoTime() - start;
            cri.removePod(pod.id());
        }
        return nanos;
    }

    private static void report(String what, long[] nanos) {
        System.out.printf(
                "BENCH %s: p50 %s, p99 %s, max %s%n",
                what, format(percentile(nanos, 50)), format(percentile(nanos, 99)), format(percentile(nanos, 100)));
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String format(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        return nanos < 10_000_000 ? String.format("%.3f ms", nanos / 1e6) : d.toMillis() + " ms";
    }
}
