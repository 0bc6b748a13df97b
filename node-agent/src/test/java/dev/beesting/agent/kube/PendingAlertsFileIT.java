package dev.beesting.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.api.v1alpha1.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingAlertsFileIT {
    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    /** A pending-alerts file as format 1 writes it: each process as flat fields, pid being the process id. */
    private static final String FORMAT_1 = """
            {"format":1,"alerts":[{"key":{"namespace":"cms","pod":"cms-web","podUid":"uid-1","container":"web",\
            "path":"/root/.aws/credentials"},"node":"worker-1","containerId":"c0ffee","image":"busybox",\
            "policy":"fake-aws","severity":"high","detector":"syscall","count":3,"firstSeen":"2026-11-23T09:00:00Z",\
            "lastSeen":"2026-11-23T10:00:00Z","processes":[{"pid":4711,"comm":"cat","exe":"/bin/cat",\
            "cmdline":"cat /root/.aws/credentials","uid":0,"gid":0,"time":"2026-11-23T10:00:00Z"}],\
            "denied":false,"adopted":false}]}""";

    private static final Lineage LINEAGE = new Lineage(
            List.of(new Ancestor(4700, 4700, "sh")), "/bin/sh", "sh -c cat", false, 4026532100L, 4700, Origin.EXEC);

    @TempDir
    Path stateDir;

    @Test
    void aFileOfTheFirstFormatIsReadWithItsProcesses() throws IOException {
        Files.writeString(stateDir.resolve(PendingAlertsFile.FILE_NAME), FORMAT_1);

        List<AlertRecord> alerts = new PendingAlertsFile(stateDir).load();

        assertThat(alerts).singleElement().satisfies(record -> {
            assertThat(record.count()).isEqualTo(3);
            assertThat(record.latest().process().tgid()).isEqualTo(4711);
            assertThat(record.latest().process().comm()).isEqualTo("cat");
            assertThat(record.latest().process().cmdline()).isEqualTo("cat /root/.aws/credentials");
            assertThat(record.latest().time()).isEqualTo(T0);
            assertThat(record.latest().process().lineage()).isEqualTo(Lineage.UNKNOWN);
        });
    }

    @Test
    void processesAreSavedAsTheFlatFieldsOfTheFirstFormatWithTheirParentChain() throws IOException {
        PendingAlertsFile file = new PendingAlertsFile(stateDir);
        AlertRecord record = new AlertRecord(
                new AlertKey("cms", "cms-web", "uid-1", "web", "/root/.aws/credentials"),
                "worker-1",
                "c0ffee",
                "busybox",
                "fake-aws",
                Severity.HIGH,
                "syscall",
                3,
                T0.minusSeconds(3600),
                T0,
                List.of(new SeenProcess(
                        new Opener(4712, 4711, 0, 0, "cat", "/bin/cat", "cat /root/.aws/credentials", null, LINEAGE),
                        T0)),
                false,
                false);

        file.save(List.of(record));

        assertThat(Files.readString(file.path()))
                .contains("\"processes\":[{\"pid\":4711,\"comm\":\"cat\",\"exe\":\"/bin/cat\","
                        + "\"cmdline\":\"cat /root/.aws/credentials\",\"uid\":0,\"gid\":0,"
                        + "\"time\":\"2026-11-23T10:00:00Z\",\"lineage\":{");
        assertThat(file.load()).singleElement().satisfies(read -> {
            assertThat(read.latest().process().tgid()).isEqualTo(4711);
            assertThat(read.latest().process().lineage()).isEqualTo(LINEAGE);
        });
    }
}
