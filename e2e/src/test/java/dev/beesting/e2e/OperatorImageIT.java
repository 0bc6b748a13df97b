package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.testing.Containerd;
import dev.beesting.agent.testing.CriClient;
import dev.beesting.agent.testing.RealParts;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.StoredNodeConfig;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The operator image (built by the {@code images} profile) runs through CRI as the Deployment of
 * {@code config/default} declares it — uid 65532, read-only root, every capability dropped — and compiles a policy.
 */
@Tag(KubeApi.TAG)
class OperatorImageIT {
    private static final Path IMAGE_TAR = Path.of("operator/target/jib-image.tar");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String POLICY = """
            apiVersion: beesting.dev/v1alpha1
            kind: HoneytokenPolicy
            metadata:
              name: image-test
            spec:
              tokens:
                - path: /root/.aws/credentials
                  content:
                    template: "{{awsAccessKeyId}}"
            """;

    private final AutoCloser closer = new AutoCloser();

    @AfterEach
    void stopEverything() {
        closer.close();
    }

    @Test
    void operatorImageCompilesAPolicyAsTheDeploymentRunsIt() throws Exception {
        PodSpec deploymentPod = Kustomize.build("default").stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow()
                .getSpec()
                .getTemplate()
                .getSpec();
        Containerd containerd = closer.add(Containerd.start("2"));
        Path tar = containerd.repo().resolve(IMAGE_TAR);
        RealParts.require(
                Files.isRegularFile(tar),
                "operator image " + tar + " missing: build it with hack/build-images.sh (Maven profile images)");
        String image = containerd.importImage(tar);
        CriClient cri = closer.add(new CriClient(containerd.socket()), c -> {
            c.removeAllPods();
            c.close();
        });
        // the API server listens on loopback; the pod shares the host network (no CNI here)
        int port = freePort();
        KubeApi api = closer.add(KubeApi.start(OperatorHarness.NAMESPACE, "cms"));
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "BEESTING_NAMESPACE", OperatorHarness.NAMESPACE,
                "POD_NAME", "beesting-operator-0",
                "KUBERNETES_MASTER", api.client().getMasterUrl().toString(),
                "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
                "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false"));
        List<String> args = new java.util.ArrayList<>(List.of("--http-port=" + port));
        if (api.isReal()) {
            // as the Deployment runs it: its ServiceAccount's RBAC, leader election on
            ServiceAccounts.installRbac(api.client());
            env.put("KUBERNETES_AUTH_TOKEN", ServiceAccounts.token(api.client(), ServiceAccounts.OPERATOR));
            env.put("KUBERNETES_TRUST_CERTIFICATES", "true");
        } else {
            // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the mock rejects
            args.add("--no-leader-election");
        }

        Path scratch = containerd.scratch();
        PodSpecToCri kubelet = new PodSpecToCri(
                deploymentPod,
                hostPath -> {
                    throw new IllegalArgumentException("the operator has no hostPath volume: " + hostPath);
                },
                scratch.resolve("empty-dirs"));
        Path logs = Files.createDirectories(scratch.resolve("logs/operator"));
        CriClient.PodRef pod =
                cri.runPod(kubelet.sandbox(OperatorHarness.NAMESPACE, "beesting-operator-0", logs.getParent()));
        cri.startContainer(pod, kubelet.container(image, args, env, "operator/0.log"));

        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://127.0.0.1:" + port + "/readyz");
        Path log = logs.resolve("0.log");
        try {
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(
                            () -> http.send(
                                            HttpRequest.newBuilder(ready).build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode(),
                            code -> code == 200);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("operator never ready; its log:\n" + Files.readString(log), e);
        }

        api.client()
                .resource(Serialization.unmarshal(POLICY, HoneytokenPolicy.class))
                .create();
        // on a real API server installed as config/ does, with the policy namespace: the image stores format v4 (a
        // policy object and the index naming it) and, as no node reads an older format, nothing beside it; on the
        // mock, without that namespace, format v2 alone
        NodeConfig config = await().atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> StoredNodeConfig.read(api.client(), OperatorHarness.NAMESPACE)
                                .orElse(null),
                        c -> c != null
                                && c.policies().stream().anyMatch(p -> p.name().equals("image-test")));
        assertThat(config.bySelector()).isTrue();
        Secret stored = api.client()
                .secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(NodeConfig.SECRET_NAME)
                .get();
        String format = api.isReal() ? NodeConfig.SECRET_KEY_V4 : NodeConfig.SECRET_KEY_V2;
        assertThat(stored.getData().keySet()).containsExactly(format);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
