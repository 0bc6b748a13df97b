package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.testing.Containerd;
import dev.beesting.agent.testing.CriClient;
import dev.beesting.agent.testing.RealParts;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import dev.beesting.proto.cri.ContainerState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent image (built by the {@code images} profile) runs as a container through CRI with the host PID namespace,
 * mounts and capabilities of the DaemonSet in {@code config/default}, no more, and reports opens of its tokens:
 * standalone on a host file, and as the NRI plugin planting into another pod.
 */
class AgentImageIT {
    private static final Path IMAGE_TAR = Path.of("node-agent/target/jib-image.tar");
    private static final String STATE_DIR = "/var/lib/beesting";
    private static final String TOKEN = STATE_DIR + "/demo/.aws/credentials";
    private static final String POD_TOKEN = "/root/.aws/access-key-id";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final AutoCloser closer = new AutoCloser();

    @AfterEach
    void stopEverything() {
        closer.close();
    }

    @ParameterizedTest(name = "containerd {0}")
    @ValueSource(strings = {"1.7", "2"})
    void agentImageReportsAnOpenWithOnlyTheDaemonSetsPrivileges(String version) throws Exception {
        PodSpec daemonSetPod = daemonSetPod();
        Containerd containerd = closer.add(Containerd.start(version));
        String image = importAgentImage(containerd);
        CriClient cri = closer.add(new CriClient(containerd.socket()), c -> {
            c.removeAllPods();
            c.close();
        });

        // the DaemonSet's hostPath volumes live in a scratch folder, except the runtime's own NRI socket and BTF
        Path scratch = containerd.scratch();
        Path stateDir = Files.createDirectories(scratch.resolve("host" + STATE_DIR));
        PodSpecToCri kubelet = new PodSpecToCri(
                daemonSetPod,
                hostPath -> switch (hostPath) {
                    case "/var/run/nri" -> containerd.nriSocket().getParent();
                    case "/sys/kernel/btf" -> Path.of(hostPath);
                    default -> directory(scratch.resolve("host" + hostPath));
                },
                scratch.resolve("empty-dirs"));
        Files.writeString(stateDir.resolve("standalone.yaml"), """
                tokens:
                  - path: %s
                    content:
                      template: |
                        [default]
                        aws_access_key_id = {{awsAccessKeyId}}
                        aws_secret_access_key = {{awsSecretAccessKey}}
                """.formatted(TOKEN));
        Path logs = Files.createDirectories(scratch.resolve("logs/agent"));

        CriClient.PodRef pod = cri.runPod(kubelet.sandbox("beesting-system", "beesting-agent", logs.getParent()));
        String agent = cri.startContainer(
                pod,
                kubelet.container(
                        image, List.of("standalone", "--config", STATE_DIR + "/standalone.yaml"), "agent/0.log"));
        Path log = logs.resolve("0.log");
        CriLog watching = await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> CriLog.find(log, "beesting-agent: watching"), Optional::isPresent)
                .orElseThrow();
        Instant started = Instant.EPOCH.plusNanos(cri.status(agent).getStartedAt());
        System.out.printf(
                "agent image on containerd %s: process start to armed %d ms%n",
                version, Duration.between(started, watching.time()).toMillis());

        // the token the container planted is on the host, where any process (this test, then cat) may open it
        Path onHost = scratch.resolve("host" + TOKEN);
        assertThat(onHost).content().contains("aws_access_key_id = AKIA");
        Process cat = new ProcessBuilder("cat", onHost.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(cat.waitFor(10, TimeUnit.SECONDS)).isTrue();

        CriLog alert = await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> CriLog.find(log, "\"path\":\"" + TOKEN + "\"", "\"comm\":\"cat\""), Optional::isPresent)
                .orElseThrow();
        assertThat(alert.stream()).isEqualTo("stdout");
        // hostPID: the pid the kernel reported is the host's, and the agent resolved the opener's executable
        assertThat(alert.text()).contains("\"tgid\":" + cat.pid()).containsPattern("\"exe\":\"[^\"]*/cat\"");
        assertThat(cri.status(agent).getState()).isEqualTo(ContainerState.CONTAINER_RUNNING);
    }

    @ParameterizedTest(name = "containerd {0}")
    @ValueSource(strings = {"1.7", "2"})
    void agentImageAsTheNriPluginPlantsIntoAPodAndReportsItsOpen(String version) throws Exception {
        PodSpec daemonSetPod = daemonSetPod();
        Containerd containerd = closer.add(Containerd.start(version));
        String image = importAgentImage(containerd);
        CriClient cri = closer.add(new CriClient(containerd.socket()), c -> {
            c.removeAllPods();
            c.close();
        });

        // containerd bind-mounts the token from the path the agent names, so the state dir must have the same
        // path inside the agent's container and on the host: a scratch folder here instead of /var/lib/beesting
        Path scratch = containerd.scratch();
        Path stateDir = directory(scratch.resolve("state"));
        daemonSetPod.getVolumes().stream()
                .filter(v ->
                        v.getHostPath() != null && v.getHostPath().getPath().equals(STATE_DIR))
                .forEach(v -> v.getHostPath().setPath(stateDir.toString()));
        Container spec = daemonSetPod.getContainers().getFirst();
        spec.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(STATE_DIR))
                .forEach(m -> m.setMountPath(stateDir.toString()));
        int metricsPort = freePort();
        List<String> args = spec.getArgs().stream()
                .map(a -> a.startsWith("--state-dir=") ? "--state-dir=" + stateDir : a)
                .map(a -> a.startsWith("--metrics-port=") ? "--metrics-port=" + metricsPort : a)
                .collect(Collectors.toCollection(ArrayList::new));
        args.add("--config-file=" + stateDir.resolve("node-config.json"));
        assertThat(args).contains("node", "--nri-socket=/var/run/nri/nri.sock");
        Files.writeString(
                stateDir.resolve("node-config.json"),
                NodeConfigCodec.write(new NodeConfig(
                        NodeConfig.API_VERSION,
                        1,
                        List.of(new CompiledPolicy(
                                "image-test",
                                UUID.randomUUID().toString(),
                                1,
                                List.of("shop"),
                                null,
                                List.of(new CompiledToken(POD_TOKEN, "0444", null, "{{awsAccessKeyId}}\n")),
                                Severity.HIGH,
                                PolicyAction.ALERT,
                                List.of())))));
        PodSpecToCri kubelet = new PodSpecToCri(
                daemonSetPod,
                hostPath -> switch (hostPath) {
                    case "/var/run/nri" -> containerd.nriSocket().getParent();
                    default -> Path.of(hostPath);
                },
                scratch.resolve("empty-dirs"));
        Path logs = Files.createDirectories(scratch.resolve("logs/agent"));
        CriClient.PodRef agentPod = cri.runPod(kubelet.sandbox("beesting-system", "beesting-agent", logs.getParent()));
        String agent = cri.startContainer(agentPod, kubelet.container(image, args, "agent/0.log"));
        Path log = logs.resolve("0.log");
        CriLog registered = await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> CriLog.find(log, "registered with NRI"), Optional::isPresent)
                .orElseThrow();
        Instant started = Instant.EPOCH.plusNanos(cri.status(agent).getStartedAt());
        System.out.printf(
                "agent image as NRI plugin on containerd %s: process start to registered %d ms%n",
                version, Duration.between(started, registered.time()).toMillis());

        // a workload pod in a namespace the policy names gets the token; its own cat is reported
        CriClient.PodRef shop = cri.runPod("shop", "web", Map.of());
        String web = cri.startContainer(shop, "web", containerd.image());
        CriClient.ExecResult read = cri.exec(web, "cat", POD_TOKEN);
        assertThat(read.exitCode()).isZero();
        assertThat(read.stdout()).startsWith("AKIA");
        CriLog alert = await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> CriLog.find(log, "\"path\":\"" + POD_TOKEN + "\"", "\"comm\":\"cat\""),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(alert.text()).contains("\"namespace\":\"shop\"", "\"pod\":\"web\"", "\"containerId\":\"" + web);

        // the DaemonSet's metrics port answers on the node
        HttpResponse<String> metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
    }

    private static PodSpec daemonSetPod() throws Exception {
        return Kustomize.build("default").stream()
                .filter(DaemonSet.class::isInstance)
                .map(DaemonSet.class::cast)
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static String importAgentImage(Containerd containerd) throws IOException, InterruptedException {
        Path tar = containerd.repo().resolve(IMAGE_TAR);
        RealParts.require(
                Files.isRegularFile(tar),
                "agent image " + tar + " missing: build it with hack/build-images.sh (Maven profile images)");
        return containerd.importImage(tar);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static Path directory(Path path) {
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line of a CRI container log: {@code <RFC 3339 time> <stream> <P|F> <text>}. */
    record CriLog(Instant time, String stream, String text) {
        static Optional<CriLog> find(Path log, String... needles) throws IOException {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            return Files.readAllLines(log).stream()
                    .filter(line -> List.of(needles).stream().allMatch(line::contains))
                    .map(line -> line.split(" ", 4))
                    .map(f -> new CriLog(Instant.parse(f[0]), f[1], f[3]))
                    .findFirst();
        }
    }
}
