package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.v1alpha1.Access;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertSpec;
import dev.beesting.operator.decoy.DecoyAlerts;
import dev.beesting.operator.decoy.DecoyMetrics;
import dev.beesting.operator.decoy.DecoySecrets;
import dev.beesting.operator.decoy.DecoyTls;
import dev.beesting.operator.decoy.DecoyUses;
import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * On a real kube-apiserver with the RBAC of {@code config/}: the decoy's ServiceAccount creates, reads and updates
 * its own two Secrets, may write alerts and Events, and can do nothing else (no other Secret, no list, no pods).
 */
@Tag(KubeApi.REAL_ONLY_TAG)
class DecoyRbacRealApiIT {
    private static final String DECOY = "beesting-decoy";

    private final AutoCloser closer = new AutoCloser();
    private KubernetesClient admin;
    private KubernetesClient decoy;

    @BeforeEach
    void start() {
        assertThat(KubeApi.realServerSelected())
                .as("a real API server (-Pkube-api-test)")
                .isTrue();
        KubeApi api = closer.add(KubeApi.start(ServiceAccounts.NAMESPACE, "cms"));
        admin = api.client();
        ServiceAccounts.installRbac(admin);
        decoy = closer.add(ServiceAccounts.client(admin, DECOY));
    }

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void theDecoyKeepsItsOwnSecretsAndTouchesNothingElse() {
        admin.resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("beesting-node-config")
                        .withNamespace(ServiceAccounts.NAMESPACE)
                        .endMetadata()
                        .withStringData(Map.of("config.json", "{}"))
                        .build())
                .create();
        DecoySecrets secrets =
                new DecoySecrets(decoy, ServiceAccounts.NAMESPACE, new SecureRandom(), Clock.systemUTC());
        List<DecoyKey> keys = secrets.ensureKeys();
        assertThat(secrets.currentKeys()).isEqualTo(keys);
        DecoyTls tls = secrets.ensureTls(List.of(DECOY, DECOY + ".beesting-system.svc"), List.of());
        DecoyTls renamed = secrets.ensureTls(List.of("decoy.example.com"), List.of());
        assertThat(renamed.caCertificate()).isEqualTo(tls.caCertificate());

        forbidden(c -> c.secrets().inNamespace(ServiceAccounts.NAMESPACE).list());
        forbidden(c -> c.secrets()
                .inNamespace(ServiceAccounts.NAMESPACE)
                .withName("beesting-node-config")
                .get());
        forbidden(c -> c.secrets()
                .inNamespace(ServiceAccounts.NAMESPACE)
                .withName(DecoySecrets.KEY_SECRET)
                .delete());
        forbidden(c -> c.secrets().inNamespace("cms").list());
        forbidden(c -> c.pods().inNamespace("cms").list());
        forbidden(c -> c.namespaces().list());

        assertThat(allowed("create", "beesting.dev", "honeytokenalerts", "cms")).isTrue();
        assertThat(allowed("get", "beesting.dev", "honeytokenalerts", "cms")).isTrue();
        assertThat(allowed("create", "", "events", "cms")).isTrue();
        assertThat(allowed("delete", "beesting.dev", "honeytokenalerts", "cms")).isFalse();
        assertThat(allowed("list", "beesting.dev", "honeytokenalerts", "cms")).isFalse();
        assertThat(allowed("patch", "beesting.dev", "honeytokenalerts", "cms")).isFalse();
        assertThat(allowed("get", "", "configmaps", "cms")).isFalse();
    }

    @Test
    void theDecoyWritesUseAlertsAndEventsThroughTheAdmissionPolicyAndNothingElse() throws Exception {
        // the alert admission policy is enforced a moment after it exists
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> deniedCreate(openAlert("probe")) != null);
        DecoyOrigin origin = new DecoyOrigin(
                "prod",
                "worker-1",
                "cms",
                "simplecms-1",
                "uid-1",
                "cms",
                "/root/.kube/config",
                "fake-kubeconfig",
                "critical",
                Instant.now());
        try (DecoyAlerts alerts = new DecoyAlerts(decoy, new DecoyMetrics(new PrometheusRegistry()), 100)) {
            alerts.offer(new DecoyUses.Use(
                    origin, "k1", InetAddress.getByName("10.1.2.3"), "kubectl", "GET", "/api", Instant.now()));
            alerts.offer(new DecoyUses.Use(
                    origin, "k1", InetAddress.getByName("10.1.2.3"), "kubectl", "GET", "/apis", Instant.now()));
            HoneytokenAlert written = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> admin.resources(HoneytokenAlert.class)
                                    .inNamespace("cms")
                                    .withName(DecoyAlerts.name(origin, "10.1.2.3"))
                                    .get(),
                            a -> a != null
                                    && a.getStatus() != null
                                    && Long.valueOf(2).equals(a.getStatus().count));
            assertThat(written.getSpec().access).isEqualTo(Access.USE);
            await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> admin.v1()
                                    .events()
                                    .inNamespace("cms")
                                    .withName(written.getMetadata().getName())
                                    .get(),
                            e -> e != null && e.getCount() == 2);
        }
        // an Open alert (what only an agent of the node writes) is refused to the decoy
        // (asked again under a fresh name while the API server may still be re-reading a just-applied policy)
        String denial = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> deniedCreate(openAlert("forged-" + System.nanoTime())), java.util.Objects::nonNull);
        assertThat(denial).contains("only the Beesting agent writes HoneytokenAlerts");
    }

    private HoneytokenAlert openAlert(String name) {
        HoneytokenAlert alert = new HoneytokenAlert();
        alert.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace("cms").build());
        alert.setSpec(new HoneytokenAlertSpec());
        alert.getSpec().path = "/x";
        alert.getSpec().node = "worker-1";
        return alert;
    }

    private String deniedCreate(HoneytokenAlert alert) {
        try {
            decoy.resource(alert).create();
            return null;
        } catch (KubernetesClientException e) {
            return e.getMessage();
        }
    }

    private void forbidden(ThrowingConsumer<KubernetesClient> call) {
        assertThatThrownBy(() -> call.accept(decoy))
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
    }

    private boolean allowed(String verb, String group, String resource, String namespace) {
        SelfSubjectAccessReview review = decoy.authorization()
                .v1()
                .selfSubjectAccessReview()
                .create(new SelfSubjectAccessReviewBuilder()
                        .withNewSpec()
                        .withNewResourceAttributes()
                        .withVerb(verb)
                        .withGroup(group)
                        .withResource(resource)
                        .withNamespace(namespace)
                        .endResourceAttributes()
                        .endSpec()
                        .build());
        return review.getStatus().getAllowed();
    }
}
