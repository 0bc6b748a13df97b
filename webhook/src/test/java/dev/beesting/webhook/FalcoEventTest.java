package dev.beesting.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Falco event shape both senders fill, and one severity-to-priority mapping for both. */
class FalcoEventTest {
    @Test
    void everySeverityIsAtLeastAWarningAndAnUnknownOneCountsAsHigh() {
        assertThat(FalcoEvent.priority("critical")).isEqualTo("Alert");
        assertThat(FalcoEvent.priority("HIGH")).isEqualTo("Critical");
        assertThat(FalcoEvent.priority("medium")).isEqualTo("Error");
        assertThat(FalcoEvent.priority("low")).isEqualTo("Warning");
        assertThat(FalcoEvent.priority("")).isEqualTo("Critical");
        assertThat(FalcoEvent.priority(null)).isEqualTo("Critical");
    }

    @Test
    void theBodyHasFalcosidekicksFieldsInFalcosOrder() {
        FalcoEvent event = new FalcoEvent(
                "Beesting honeytoken used",
                "Alert",
                Instant.parse("2026-11-30T17:00:00Z"),
                "a line",
                Map.of("k8s.pod.name", "cms-1"),
                FalcoEvent.TAGS,
                "worker-1");
        assertThat(event.body().keySet())
                .containsExactly(
                        "uuid", "output", "priority", "rule", "time", "output_fields", "source", "tags", "hostname");
        assertThat(event.body()).containsEntry("time", "2026-11-30T17:00:00Z").containsEntry("source", "beesting");
        assertThat(event.body().get("uuid")).isNotEqualTo(event.body().get("uuid"));
    }
}
