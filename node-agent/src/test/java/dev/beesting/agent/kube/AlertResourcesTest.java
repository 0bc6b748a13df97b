package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Opener;
import dev.beesting.api.v1alpha1.Severity;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AlertResourcesTest {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void everyObjectWrittenStaysSmallWhateverTheOpenersArgv() {
        List<SeenProcess> processes = IntStream.range(0, AlertState.RECENT_PROCESSES)
                .mapToObj(i -> new SeenProcess(
                        new Opener(i, i, 0, 0, "sh".repeat(100), "/x".repeat(100_000), "a".repeat(2_000_000)), T0))
                .toList();
        AlertRecord record = new AlertRecord(
                AlertKey.of(Alerts.KUBE, Alerts.PATH),
                "worker-1",
                "c0ffee",
                "busybox",
                "p".repeat(253),
                Severity.HIGH,
                "syscall",
                1,
                T0,
                T0,
                processes,
                false,
                false);

        String status = Serialization.asJson(AlertResources.status(record));
        assertThat(status.length()).as("status bytes").isLessThan(40 * 1024);
        assertThat(AlertResources.status(record).process.cmdline).hasSize(Opener.MAX_CMDLINE);
        assertThat(AlertResources.status(record).recentProcesses.getLast().cmdline)
                .endsWith(Opener.TRUNCATED)
                .hasSizeLessThanOrEqualTo(AlertResources.RECENT_FIELD_MAX);
        assertThat(AlertResources.message(record)).hasSizeLessThanOrEqualTo(AlertResources.MESSAGE_MAX);
        assertThat(Serialization.asJson(AlertResources.event(record)).length()).isLessThan(4 * 1024);
    }
}
