package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.v1alpha1.ContainerRef;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertSpec;
import dev.beesting.api.v1alpha1.PodRef;
import dev.beesting.api.v1alpha1.Severity;
import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The admission policy of {@code config/admission} on a real API server: HoneytokenAlerts are written only by the agent
 * of the node they name, never change their spec, and are deleted only by the operator; even a cluster administrator
 * cannot forge, squat or erase one. Real API server only (the mock runs no admission).
 */
@Tag(KubeApi.REAL_ONLY_TAG)
class AlertAdmissionIT {
    private final AutoCloser closer = new AutoCloser();
    private KubernetesClient admin;
    private KubernetesClient agentOnWorker1;
    private KubernetesClient operator;

    @BeforeEach
    void start() {
        assertThat(KubeApi.realServerSelected())
                .as("a real API server (-Pkube-api-test)")
                .isTrue();
        KubeApi api = closer.add(KubeApi.start(ServiceAccounts.NAMESPACE, "cms"));
        admin = api.client();
        ServiceAccounts.installRbac(admin);
        agentOnWorker1 =
                closer.add(ServiceAccounts.clientWithToken(admin, ServiceAccounts.nodeBoundToken(admin, "worker-1")));
        operator = closer.add(ServiceAccounts.client(admin, ServiceAccounts.OPERATOR));
        // the policy is enforced a moment after it exists
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> denied(admin, alert("probe", "worker-1")) != null);
    }

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void onlyTheAgentOfTheNamedNodeWritesAlerts() {
        assertThat(denied(admin, alert("forged", "worker-1")))
                .contains("only the Beesting agent writes HoneytokenAlerts");
        assertThat(denied(agentOnWorker1, alert("other-node", "worker-2")))
                .contains("an agent writes the HoneytokenAlerts of its own node only");
        // a token of the agent's ServiceAccount that is not bound to a pod on a node (a stolen or minted one)
        try (KubernetesClient unbound = ServiceAccounts.client(admin, ServiceAccounts.AGENT)) {
            assertThat(denied(unbound, alert("unbound", "worker-1")))
                    .contains("an agent writes the HoneytokenAlerts of its own node only");
        }
        assertThat(agentOnWorker1
                        .resource(alert("real", "worker-1"))
                        .create()
                        .getMetadata()
                        .getUid())
                .isNotBlank();
    }

    @Test
    void anAlertsSpecCannotChangeAndOnlyTheOperatorDeletesIt() {
        agentOnWorker1.resource(alert("evidence", "worker-1")).create();
        assertThatThrownBy(() -> agentOnWorker1
                        .resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .withName("evidence")
                        .edit(a -> {
                            a.getSpec().path = "/somewhere/else";
                            return a;
                        }))
                .hasMessageContaining("spec of a HoneytokenAlert cannot change");

        var byName = admin.resources(HoneytokenAlert.class).inNamespace("cms").withName("evidence");
        assertThatThrownBy(byName::delete).hasMessageContaining("only the Beesting operator deletes HoneytokenAlerts");
        assertThatThrownBy(() -> agentOnWorker1
                        .resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .withName("evidence")
                        .delete())
                .as("the agent's RBAC has no delete either")
                .hasMessageContaining("is forbidden");
        assertThat(operator.resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .withName("evidence")
                        .delete())
                .isNotEmpty();
    }

    /** The server's refusal, or null when it accepted (then the object is created and left). */
    private static String denied(KubernetesClient client, HoneytokenAlert alert) {
        try {
            client.resource(alert).dryRun().create();
            return null;
        } catch (KubernetesClientException e) {
            return e.getMessage();
        }
    }

    private static HoneytokenAlert alert(String name, String node) {
        HoneytokenAlertSpec spec = new HoneytokenAlertSpec();
        spec.policy = "fake-aws-credentials";
        spec.path = "/root/.aws/credentials";
        spec.severity = Severity.HIGH;
        spec.node = node;
        spec.pod = new PodRef();
        spec.pod.name = "cms-1";
        spec.pod.namespace = "cms";
        spec.pod.uid = "8a1e0f55-0000-4000-8000-000000000001";
        spec.container = new ContainerRef();
        spec.container.name = "cms";
        spec.container.id = "0123456789abcdef";
        spec.container.image = "docker.io/library/busybox:latest";
        spec.detector = "fanotify";
        HoneytokenAlert alert = new HoneytokenAlert();
        alert.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("cms").build());
        alert.setSpec(spec);
        return alert;
    }
}
