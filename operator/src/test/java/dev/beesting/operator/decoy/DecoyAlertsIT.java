package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.v1alpha1.Access;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Uses of decoy credentials become Use alerts and Events in the origin pod's namespace, one per origin and source.
 * On the fabric8 mock only: on a real API server the alert admission policy lets only the decoy's ServiceAccount
 * write them, which {@code DecoyRbacRealApiIT} (e2e) proves with the decoy's own token.
 */
class DecoyAlertsIT {
    private static final DecoyOrigin ORIGIN = DecoyFixtures.ORIGIN;

    private KubeApi api;
    private KubernetesClient client;
    private DecoyMetrics metrics;
    private DecoyAlerts alerts;

    @BeforeEach
    void start() {
        api = KubeApi.start("cms");
        client = api.client();
        metrics = new DecoyMetrics(new PrometheusRegistry());
        alerts = new DecoyAlerts(client, metrics, 100);
    }

    @AfterEach
    void stop() {
        alerts.close();
        api.close();
    }

    private static DecoyUses.Use use(String source, String path, Instant at) throws Exception {
        return new DecoyUses.Use(
                ORIGIN, "k1", InetAddress.getByName(source), "kubectl/v1.31.9\u001b[31m", "GET", path, at);
    }

    @Test
    void eachSourceGetsAUseAlertNamingTheOriginWithItsFirstRequestAndCount() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T18:00:00Z");
        alerts.offer(use("10.1.2.3", "/api", t0));
        alerts.offer(use("10.1.2.3", "/api/v1/namespaces/cms/pods", t0.plusSeconds(1)));
        alerts.offer(use("10.1.2.3", "/api/v1/secrets", t0.plusSeconds(2)));
        alerts.offer(use("192.0.2.7", "/version", t0.plusSeconds(3)));

        HoneytokenAlert first = awaitAlert(DecoyAlerts.name(ORIGIN, "10.1.2.3"), 3);
        assertThat(first.getSpec().access).isEqualTo(Access.USE);
        assertThat(first.getSpec().pod.name).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(first.getSpec().pod.uid).isEqualTo(ORIGIN.podUid());
        assertThat(first.getSpec().container.name).isEqualTo("cms");
        assertThat(first.getSpec().path).isEqualTo("/root/.kube/config");
        assertThat(first.getSpec().node).isEqualTo("worker-1");
        assertThat(first.getSpec().policy).isEqualTo("fake-kubeconfig");
        assertThat(first.getSpec().severity).isEqualTo(dev.beesting.api.v1alpha1.Severity.CRITICAL);
        assertThat(first.getSpec().use.source).isEqualTo("10.1.2.3");
        assertThat(first.getSpec().use.requestPath).isEqualTo("/api");
        assertThat(first.getSpec().use.userAgent).isEqualTo("kubectl/v1.31.9?[31m");
        assertThat(first.getStatus().firstSeen).isEqualTo(t0.toString());
        assertThat(first.getStatus().lastSeen).isEqualTo(t0.plusSeconds(2).toString());

        HoneytokenAlert second = awaitAlert(DecoyAlerts.name(ORIGIN, "192.0.2.7"), 1);
        assertThat(second.getSpec().use.source).isEqualTo("192.0.2.7");
        assertThat(second.getMetadata().getName())
                .isNotEqualTo(first.getMetadata().getName());

        Event event = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> client.v1()
                                .events()
                                .inNamespace("cms")
                                .withName(first.getMetadata().getName())
                                .get(),
                        e -> e != null && e.getCount() == 3);
        assertThat(event.getReason()).isEqualTo("HoneytokenUsed");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(event.getMessage()).contains("used from 10.1.2.3").doesNotContain("\u001b");
    }

    @Test
    void aRestartedDecoyContinuesTheStoredCount() throws Exception {
        Instant t0 = Instant.parse("2026-11-30T18:00:00Z");
        alerts.offer(use("10.1.2.3", "/api", t0));
        alerts.offer(use("10.1.2.3", "/api", t0.plusSeconds(1)));
        awaitAlert(DecoyAlerts.name(ORIGIN, "10.1.2.3"), 2);
        alerts.close();

        alerts = new DecoyAlerts(client, metrics, 100);
        alerts.offer(use("10.1.2.3", "/apis", t0.plusSeconds(60)));
        HoneytokenAlert continued = awaitAlert(DecoyAlerts.name(ORIGIN, "10.1.2.3"), 3);
        assertThat(continued.getStatus().firstSeen).isEqualTo(t0.toString());
        assertThat(continued.getSpec().use.requestPath).isEqualTo("/api");
    }

    @Test
    void alertNamesAreValidAndNeverThoseOfOpenAlerts() {
        String name = DecoyAlerts.name(ORIGIN, "10.1.2.3");
        assertThat(name)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
                .contains("-use-")
                .hasSizeLessThan(80);
        assertThat(DecoyAlerts.name(ORIGIN, "10.1.2.4")).isNotEqualTo(name);
    }

    private HoneytokenAlert awaitAlert(String name, long count) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> client.resources(HoneytokenAlert.class)
                                .inNamespace("cms")
                                .withName(name)
                                .get(),
                        a -> a != null && countOf(a.getStatus()) == count);
    }

    private static long countOf(HoneytokenAlertStatus status) {
        return status == null || status.count == null ? -1 : status.count;
    }
}
