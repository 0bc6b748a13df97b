package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.alerts.JsonLineSink;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.kube.AlertWriter;
import dev.beesting.agent.kube.NamespaceLabels;
import dev.beesting.agent.kube.NodeConfigWatcher;
import dev.beesting.agent.kube.NodeStatusWriter;
import dev.beesting.agent.node.NodeAgent;
import dev.beesting.agent.testing.Containerd;
import dev.beesting.agent.testing.CriClient;
import dev.beesting.agent.testing.CriClient.PodRef;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.operator.OperatorSettings;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's story on one machine: the API server (fabric8 mock, CRUD, CRDs registered; a real kube-apiserver under
 * {@code -Pkube-api-test}, where the operator and the agent authenticate as their ServiceAccounts with exactly the RBAC
 * of {@code config/}), the operator, a real containerd with NRI, and the node agent connected to both with the real
 * detector of this kernel.
 */
@Tag(KubeApi.TAG)
class WholeSystemIT {
    private static final Path SAMPLE = Path.of("../config/samples/fake-aws-credentials.yaml");
    private static final String TOKEN = "/var/run/secrets/eks.amazonaws.com/access_key_token";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    private final AutoCloser closer = new AutoCloser();

    @AfterEach
    void stopEverything() {
        closer.close();
    }

    @Test
    void policyToAlertOnRealContainerd() throws Exception {
        ApiCallRecorder operatorCalls = new ApiCallRecorder();
        ApiCallRecorder agentCalls = new ApiCallRecorder();
        // on a real server each component is its own ServiceAccount, so the server enforces config/'s RBAC
        boolean real = KubeApi.realServerSelected();
        OperatorHarness cluster =
                closer.add(OperatorHarness.start(OperatorSettings.forNamespace(OperatorHarness.NAMESPACE), admin -> {
                    if (!real) {
                        return operatorCalls.wrap(admin);
                    }
                    ServiceAccounts.installRbac(admin);
                    return operatorCalls.wrap(ServiceAccounts.client(admin, ServiceAccounts.OPERATOR));
                }));
        KubernetesClient client = cluster.client();
        KubernetesClient agentClient = closer.add(agentCalls.wrap(
                real
                        // as the kubelet mounts it: bound to the agent's pod on this node
                        ? closer.add(ServiceAccounts.clientWithToken(
                                client, ServiceAccounts.nodeBoundToken(client, "worker-1")))
                        : client));
        cluster.namespace("cms", Map.of("beesting.dev/protect", "true"));
        cluster.namespace("shop", Map.of());
        Containerd containerd = closer.add(Containerd.start("2"));
        CriClient cri = closer.add(new CriClient(containerd.socket()), c -> {
            c.removeAllPods();
            c.close();
        });

        // the user applies a sample policy; the operator accepts it and writes the node config
        cluster.apply(SAMPLE);
        cluster.awaitPolicy("fake-aws-credentials", p -> accepted(p));
        long generation = cluster.awaitConfig(c -> c.policies().size() == 1).generation();

        // the agent joins: config from the Secret, alerts and node status to the API server
        NodeConfigWatcher config = closer.add(NodeConfigWatcher.start(agentClient, OperatorHarness.NAMESPACE));
        // the namespace view v2 selectors are matched against, on the agent's own token as NodeCommand wires it
        NamespaceLabels namespaces = closer.add(NamespaceLabels.start(agentClient));
        AlertWriter alerts = closer.add(AlertWriter.start(
                agentClient,
                stateDir,
                new AlertWriter.Settings(
                        Duration.ofSeconds(1),
                        Duration.ofMillis(200),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(1),
                        10_000),
                Clock.systemUTC()));
        List<AlertSink> sinks = List.of(new JsonLineSink(System.out), alerts);
        NodeAgent agent = closer.add(NodeAgent.start(
                new NodeAgent.Options(
                        containerd.nriSocket(), stateDir, "worker-1", Detectors.DEFAULT_ORDER, Optional.empty()),
                config,
                namespaces,
                sinks,
                (method, latency) -> {}));
        config.onNewGeneration(agent::configChanged);
        namespaces.onChange(agent.reconciler()::request);
        closer.add(NodeStatusWriter.start(
                agentClient,
                "worker-1",
                "test",
                agent::state,
                new NodeStatusWriter.Settings(
                        Duration.ofSeconds(5), Duration.ofMillis(200), Duration.ofMillis(200), Duration.ofSeconds(2)),
                Clock.systemUTC()));

        await().atMost(PATIENCE).until(() -> {
            HoneytokenNode node =
                    client.resources(HoneytokenNode.class).withName("worker-1").get();
            return node != null
                    && node.getStatus() != null
                    && node.getStatus().configGeneration != null
                    && node.getStatus().configGeneration >= generation
                    && node.getStatus().nriConnected;
        });
        HoneytokenPolicy ready = cluster.awaitPolicy(
                "fake-aws-credentials",
                p -> "1/1".equals(p.getStatus().nodes) && condition(p, "Ready").equals("True"));
        assertThat(ready.getStatus().matchedNamespaces).isEqualTo(1);

        // a pod in a matching namespace, another outside it
        PodRef pod = cri.runPod("cms", "simplecms-6c4bfc97cd-wdnhv", Map.of("app", "simplecms"));
        String container = cri.startContainer(pod, "cms", containerd.image());
        PodRef other = cri.runPod("shop", "shop-1", Map.of());
        String otherContainer = cri.startContainer(other, "shop", containerd.image());
        assertThat(cri.exec(container, "cat", TOKEN).stdout()).matches("AKIA[A-Z2-7]{16}");
        assertThat(cri.exec(otherContainer, "cat", TOKEN).exitCode()).isNotZero();

        // the attacker reads the token: one alert with pod, container, process and path, and an Event on the pod
        HoneytokenAlert alert = await().atMost(PATIENCE)
                .until(() -> onlyAlert(client), a -> a != null && a.getStatus() != null && a.getStatus().count != null);
        assertThat(alert.getMetadata().getNamespace()).isEqualTo("cms");
        assertThat(alert.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(alert.getSpec().policy).isEqualTo("fake-aws-credentials");
        assertThat(alert.getSpec().path).isEqualTo(TOKEN);
        assertThat(alert.getSpec().pod.name).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(alert.getSpec().pod.uid).isEqualTo(pod.config().getMetadata().getUid());
        assertThat(alert.getSpec().container.name).isEqualTo("cms");
        assertThat(alert.getSpec().container.id).isEqualTo(container);
        assertThat(alert.getSpec().node).isEqualTo("worker-1");
        assertThat(alert.getStatus().process.comm).isEqualTo("cat");
        assertThat(alert.getStatus().count).isEqualTo(1);
        Event event = await().atMost(PATIENCE).until(() -> podEvent(client), e -> e != null);
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getUid())
                .isEqualTo(pod.config().getMetadata().getUid());
        assertThat(event.getMessage()).contains("cat", TOKEN, "fake-aws-credentials");

        // a flood of reads updates the same alert; the count is exact
        cri.exec(container, "sh", "-c", "for i in $(seq 100); do cat " + TOKEN + " > /dev/null; done");
        await().atMost(PATIENCE).until(() -> onlyAlert(client).getStatus().count == 101);
        assertThat(client.resources(HoneytokenAlert.class)
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .hasSize(1);
        HoneytokenPolicy alerted = cluster.awaitPolicy(
                "fake-aws-credentials", p -> p.getStatus().alerts == 1 && p.getStatus().lastAlert != null);
        assertThat(alerted.getStatus().lastAlert.pod).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(alerted.getStatus().lastAlert.process).isEqualTo("cat");
        assertThat(alerted.getStatus().lastAlert.path).isEqualTo(TOKEN);
        // what Argo CD shows for the policy and the alert, from the health scripts in config/argocd
        assertThat(ArgoHealth.of(alerted))
                .isEqualTo(new ArgoHealth.Status(
                        "Degraded",
                        "honeytoken " + TOKEN + " opened by cat in cms/simplecms-6c4bfc97cd-wdnhv (1 alert, last at "
                                + alerted.getStatus().lastAlert.lastSeen + ")"));
        assertThat(ArgoHealth.of(onlyAlert(client)).status()).isEqualTo("Degraded");

        // the RBAC of config/ grants every request the two components made, and the agent's is narrow
        List<HasMetadata> deployment = Kustomize.build("default");
        RbacRules operatorRbac = new RbacRules(deployment, "beesting-system", "beesting-operator");
        RbacRules agentRbac = new RbacRules(deployment, "beesting-system", "beesting-agent");
        assertThat(operatorCalls.calls())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(operatorRbac.allows(c))
                        .as("operator RBAC allows %s", c)
                        .isTrue());
        assertThat(agentCalls.calls())
                .isNotEmpty()
                .allSatisfy(c -> assertThat(agentRbac.allows(c))
                        .as("agent RBAC allows %s", c)
                        .isTrue());
        assertThat(agentRbac.allows(new ApiCallRecorder.Call("get", "", "secrets", "beesting-system", "other")))
                .as("the agent reads no Secret but the node config")
                .isFalse();
        assertThat(operatorCalls.forbidden())
                .as("operator requests the API server refused")
                .isEmpty();
        assertThat(agentCalls.forbidden())
                .as("agent requests the API server refused")
                .isEmpty();
    }

    private static boolean accepted(HoneytokenPolicy policy) {
        return policy.getStatus() != null && condition(policy, "Accepted").equals("True");
    }

    private static String condition(HoneytokenPolicy policy, String type) {
        return policy.getStatus().conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .map(c -> c.getStatus())
                .findFirst()
                .orElse("");
    }

    private static HoneytokenAlert onlyAlert(KubernetesClient client) {
        List<HoneytokenAlert> all = client.resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .list()
                .getItems();
        return all.isEmpty() ? null : all.getFirst();
    }

    private static Event podEvent(KubernetesClient client) {
        return client.v1().events().inNamespace("cms").list().getItems().stream()
                .filter(e -> "HoneytokenAccessed".equals(e.getReason()))
                .findFirst()
                .orElse(null);
    }
}
