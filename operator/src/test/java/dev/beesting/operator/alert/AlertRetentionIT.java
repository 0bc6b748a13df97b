package dev.beesting.operator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenAlertSpec;
import dev.beesting.api.v1alpha1.HoneytokenAlertStatus;
import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag(KubeApi.TAG)
class AlertRetentionIT {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    private KubeApi api;

    @BeforeEach
    void start() {
        api = KubeApi.start("cms", "shop");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void alertsLastSeenBeforeTheRetentionAreDeletedAndRecentOnesKept() {
        alert("cms", "old", "2025-05-01T00:00:00Z");
        alert("shop", "recent", "2025-05-31T12:00:00Z");
        AtomicInteger counted = new AtomicInteger();

        AlertRetention retention = new AlertRetention(
                api.client(), Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC), counted::addAndGet);

        assertThat(retention.sweep()).isEqualTo(1);
        assertThat(counted).hasValue(1);
        assertThat(api.client()
                        .resources(HoneytokenAlert.class)
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .extracting(a -> a.getMetadata().getName())
                .containsExactly("recent");
    }

    private void alert(String namespace, String name, String lastSeen) {
        HoneytokenAlert alert = new HoneytokenAlert();
        alert.setMetadata(
                new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        alert.setSpec(new HoneytokenAlertSpec());
        alert.getSpec().policy = "fake-aws";
        HoneytokenAlert created = api.client().resource(alert).create();
        created.setStatus(new HoneytokenAlertStatus());
        created.getStatus().lastSeen = lastSeen;
        created.getStatus().count = 1L;
        api.client().resource(created).updateStatus();
    }
}
