package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved container records keep the file shape older agents wrote, so an upgrade re-arms their tokens. */
class ContainerRecordsTest {
    /** A record as the first releases wrote it (no kind, no node). */
    private static final String OLD_FILE = """
            {"pod":{"name":"cms-1","namespace":"cms","uid":"uid-1","labels":{"app":"cms"}},\
            "container":{"id":"c0ffee01","name":"web","image":"busybox:latest"},\
            "tokens":[{"index":0,"path":"/root/.aws/credentials","policy":"aws"}]}""";

    @TempDir
    Path stateDir;

    @Test
    void readsTheFileShapeOfEarlierReleases() throws IOException {
        Files.createDirectories(stateDir.resolve("containers"));
        Files.writeString(stateDir.resolve("containers/c0ffee01.json"), OLD_FILE);

        ContainerRecord record =
                new ContainerRecords(stateDir, "node-1").load("c0ffee01").orElseThrow();

        assertThat(record.workload())
                .isEqualTo(new Workload(
                        "node-1", "cms", "cms-1", "uid-1", Map.of("app", "cms"), "web", "c0ffee01", "busybox:latest"));
        assertThat(record.tokens()).containsExactly(ContainerRecord.Entry.mount(0, "/root/.aws/credentials", "aws"));
    }

    @Test
    void writesTheSameShapeAndReadsItBack() throws IOException {
        Workload workload =
                new Workload("node-1", "cms", "cms-1", "uid-1", Map.of("app", "cms"), "web", "c0ffee01", "busybox");
        ContainerRecord record =
                new ContainerRecord(workload, List.of(ContainerRecord.Entry.live(1, "/etc/token", "p", 42)));
        ContainerRecords records = new ContainerRecords(stateDir, "node-1");

        records.save(record);

        String saved = Files.readString(stateDir.resolve("containers/c0ffee01.json"));
        assertThat(saved)
                .startsWith("{\"pod\":{\"name\":\"cms-1\",\"namespace\":\"cms\",\"uid\":\"uid-1\"")
                .contains("\"container\":{\"id\":\"c0ffee01\",\"name\":\"web\",\"image\":\"busybox\"}")
                .doesNotContain("node-1");
        assertThat(records.load("c0ffee01")).contains(record);
        assertThat(records.ids()).containsExactly("c0ffee01");
    }
}
