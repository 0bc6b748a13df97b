package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertSpec;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenNodeStatus;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Policy status counts follow the HoneytokenNode and HoneytokenAlert objects. */
@Tag(KubeApi.TAG)
class PolicyStatusIT {
    private OperatorHarness cluster;

    @BeforeEach
    void start() {
        cluster = OperatorHarness.start();
        cluster.namespace("cms", Map.of());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void nodesBecomeReadyWhenTheyApplyTheGenerationCarryingThePolicy() {
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfig config = cluster.awaitConfig(c -> c.policies().size() == 1);
        HoneytokenPolicyStatus none = status(cluster.awaitPolicy("fake-aws", p -> p.getStatus() != null));
        assertThat(none.configGeneration).isEqualTo(config.generation());
        assertThat(ready(none).getReason()).isEqualTo(PolicyConditions.NO_NODES);

        node("worker-1", config.generation());
        node("worker-2", config.generation() - 1);
        // status converges: a reconcile triggered by the first node may still be writing when the second appears
        HoneytokenPolicyStatus half = status(cluster.awaitPolicy(
                "fake-aws",
                p -> p.getStatus().nodesTotal == 2
                        && "False".equals(ready(p.getStatus()).getStatus())));
        assertThat(half.nodes).isEqualTo("1/2");
        assertThat(ready(half).getStatus()).isEqualTo("False");
        assertThat(ready(half).getReason()).isEqualTo(PolicyConditions.NODES_PENDING);
        assertThat(ready(half).getMessage()).contains("waiting for worker-2");

        node("worker-2", config.generation());
        HoneytokenPolicyStatus all = status(cluster.awaitPolicy("fake-aws", p -> p.getStatus().nodesReady == 2));
        assertThat(all.nodes).isEqualTo("2/2");
        assertThat(ready(all).getStatus()).isEqualTo("True");

        // a new policy version is carried by a newer config: nodes on the old one are no longer ready for it
        cluster.client().resources(HoneytokenPolicy.class).withName("fake-aws").edit(p -> {
            p.getSpec().tokens.getFirst().mode = "0400";
            return p;
        });
        HoneytokenPolicyStatus next = status(cluster.awaitPolicy(
                "fake-aws", p -> p.getStatus().observedGeneration == 2 && p.getStatus().nodesReady == 0));
        assertThat(next.configGeneration).isEqualTo(config.generation() + 1);
        node("worker-1", config.generation() + 1);
        cluster.awaitPolicy("fake-aws", p -> p.getStatus().nodesReady == 1);
        cluster.client().resources(HoneytokenNode.class).withName("worker-2").delete();
        cluster.awaitPolicy("fake-aws", p -> "1/1".equals(p.getStatus().nodes));

        // the runtime restarted under the agent and NRI is down: new pods there get no token, so not ready
        node("worker-1", config.generation() + 1, false);
        HoneytokenPolicyStatus disconnected =
                status(cluster.awaitPolicy("fake-aws", p -> "0/1".equals(p.getStatus().nodes)));
        assertThat(ready(disconnected).getStatus()).isEqualTo("False");
        assertThat(ready(disconnected).getMessage()).contains("worker-1");
        node("worker-1", config.generation() + 1, true);
        cluster.awaitPolicy("fake-aws", p -> "1/1".equals(p.getStatus().nodes));
    }

    @Test
    void alertCountFollowsTheAlertsNamingThePolicy() {
        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.awaitPolicy("fake-aws", p -> p.getStatus() != null && p.getStatus().alerts == 0);

        alert("cms", "a1", "fake-aws");
        alert("cms", "a2", "fake-aws");
        alert("cms", "other", "another-policy");
        cluster.awaitPolicy("fake-aws", p -> p.getStatus().alerts == 2);

        cluster.client()
                .resources(HoneytokenAlert.class)
                .inNamespace("cms")
                .withName("a1")
                .delete();
        cluster.awaitPolicy("fake-aws", p -> p.getStatus().alerts == 1);
    }

    private void node(String name, long appliedGeneration) {
        node(name, appliedGeneration, true);
    }

    private void node(String name, long appliedGeneration, boolean nriConnected) {
        HoneytokenNode node = new HoneytokenNode();
        node.setMetadata(new ObjectMetaBuilder().withName(name).build());
        HoneytokenNode stored =
                cluster.client().resources(HoneytokenNode.class).withName(name).get();
        if (stored == null) {
            stored = cluster.client().resource(node).create();
        }
        HoneytokenNodeStatus status = new HoneytokenNodeStatus();
        status.configGeneration = appliedGeneration;
        status.detector = "fanotify";
        status.nriConnected = nriConnected;
        stored.setStatus(status);
        cluster.client().resource(stored).updateStatus();
    }

    private void alert(String namespace, String name, String policy) {
        HoneytokenAlert alert = new HoneytokenAlert();
        alert.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        alert.setSpec(new HoneytokenAlertSpec());
        alert.getSpec().policy = policy;
        alert.getSpec().path = "/root/.aws/credentials";
        cluster.client().resource(alert).create();
    }

    private static HoneytokenPolicyStatus status(HoneytokenPolicy policy) {
        return policy.getStatus();
    }

    private static Condition ready(HoneytokenPolicyStatus status) {
        return status.conditions.stream()
                .filter(c -> PolicyConditions.READY.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }
}
