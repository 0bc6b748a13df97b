package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.api.v1alpha1.Access;
import dev.beesting.api.v1alpha1.ProcessInfo;
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
                        new Opener(
                                i,
                                i,
                                0,
                                0,
                                "sh".repeat(100),
                                "/x".repeat(100_000),
                                "a".repeat(2_000_000),
                                null,
                                hugeLineage()),
                        T0))
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
        assertThat(AlertResources.status(record).process.parentCmdline)
                .hasSizeLessThanOrEqualTo(AlertResources.RECENT_FIELD_MAX);
        assertThat(AlertResources.status(record).process.ancestors).hasSize(Lineage.MAX_ANCESTORS);
    }

    /** An opener's chain whose every process chose a huge name and argv. */
    private static Lineage hugeLineage() {
        List<Ancestor> chain = IntStream.range(0, 50)
                .mapToObj(i -> new Ancestor(i, i, "x".repeat(10_000)))
                .toList();
        return new Lineage(chain, "/p".repeat(100_000), "b".repeat(2_000_000), false, 1, 1, Origin.EXEC);
    }

    @Test
    void theParentAndTheOriginAreInTheStatusAndTheEventMessage() {
        Lineage lineage = new Lineage(
                List.of(new Ancestor(41, 40, "sh"), new Ancestor(7, 7, "runc")),
                "/bin/sh",
                "sh -c cat /root/.aws/credentials",
                false,
                4026532000L,
                40,
                Origin.EXEC);
        AlertRecord record = new AlertRecord(
                AlertKey.of(Alerts.KUBE, Alerts.PATH),
                "worker-1",
                "c0ffee",
                "busybox",
                "fake-aws",
                Severity.HIGH,
                "fanotify",
                1,
                T0,
                T0,
                List.of(new SeenProcess(new Opener(42, 42, 0, 0, "cat", "/bin/cat", "cat x", null, lineage), T0)),
                false,
                false);

        ProcessInfo process = AlertResources.status(record).process;

        assertThat(process.parentPid).isEqualTo(40);
        assertThat(process.parentComm).isEqualTo("sh");
        assertThat(process.parentExe).isEqualTo("/bin/sh");
        assertThat(process.parentCmdline).isEqualTo("sh -c cat /root/.aws/credentials");
        assertThat(process.ancestors).extracting(a -> a.comm).containsExactly("sh", "runc");
        assertThat(process.origin).isEqualTo("exec");
        assertThat(AlertResources.status(record).recentProcesses.getFirst().parentExe)
                .isNull();
        assertThat(AlertResources.alert(record).getSpec().access).isEqualTo(Access.OPEN);
        assertThat(AlertResources.message(record))
                .isEqualTo("process cat (pid 42, uid 0, parent sh (pid 40), origin exec) opened honeytoken "
                        + Alerts.PATH + " (policy fake-aws)");
    }
}
