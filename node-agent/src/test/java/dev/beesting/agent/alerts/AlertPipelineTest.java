package dev.beesting.agent.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.detect.Tier;
import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class AlertPipelineTest {
    private static final Workload KUBE =
            new Workload("node-1", "cms", "cms-1", "uid-1", Map.of(), "web", "c0ffee", "busybox");
    private static final Map<Long, TokenRef> TOKENS = Map.of(
            1L,
            new TokenRef(
                    "/root/.aws/credentials",
                    "fake-aws",
                    Severity.HIGH,
                    PolicyAction.ALERT,
                    List.of("/usr/bin/backup"),
                    KUBE));

    private final List<Alert> seen = new CopyOnWriteArrayList<>();

    private AlertPipeline pipeline(AlertSink... extra) {
        List<AlertSink> sinks = new java.util.ArrayList<>(List.of(seen::add));
        sinks.addAll(List.of(extra));
        // the executables of these tests are names only; the real check is tested on this JVM below
        return new AlertPipeline(id -> Optional.ofNullable(TOKENS.get(id)), sinks, 16, (opener, before) -> true);
    }

    @Test
    void accessBecomesAnAttributedAlert() {
        try (AlertPipeline pipeline = pipeline()) {
            pipeline.accept(event(1, "/bin/cat"));
            await().until(() -> seen.size() == 1);
        }
        Alert alert = seen.getFirst();
        assertThat(alert.token().workload().pod()).isEqualTo("cms-1");
        assertThat(alert.opener().comm()).isEqualTo("cat");
        assertThat(alert.opener().exe()).isEqualTo("/bin/cat");
        assertThat(alert.count()).isEqualTo(3);
    }

    @Test
    void ignoredProcessesAndUnknownTokensRaiseNothing() {
        try (AlertPipeline pipeline = pipeline()) {
            pipeline.accept(event(1, "/usr/bin/backup"));
            pipeline.accept(event(99, "/bin/cat"));
            pipeline.accept(event(1, "/bin/sh"));
            await().until(() -> seen.size() == 1);
            assertThat(pipeline.ignored()).isEqualTo(1);
        }
        assertThat(seen)
                .singleElement()
                .extracting(alert -> alert.opener().exe())
                .isEqualTo("/bin/sh");
    }

    @Test
    void anIgnoredPathCountsOnlyForAnExecutableUnchangedSinceTheContainerStarted() throws Exception {
        // this JVM stands for the opener: its executable is a real file with a real ctime
        int self = (int) ProcessHandle.current().pid();
        String exe = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();
        Instant changed = ((FileTime) Files.getAttribute(Path.of(exe), "unix:ctime")).toInstant();
        Opener opener = new Opener(self, self, 0, 0, "java", exe, "java");

        assertThat(AlertPipeline.unchangedBefore(opener, changed.plusSeconds(1)))
                .as("container started after the file last changed")
                .isTrue();
        assertThat(AlertPipeline.unchangedBefore(opener, changed.minusSeconds(1)))
                .as("file changed after the container started")
                .isFalse();
        assertThat(AlertPipeline.unchangedBefore(
                        new Opener(self, self, 0, 0, "java", "/usr/bin/backup", "java"), Instant.now()))
                .as("a path that is not what the process runs")
                .isFalse();
        assertThat(AlertPipeline.unchangedBefore(
                        new Opener(Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 0, "x", exe, "x"), Instant.now()))
                .as("a process that is gone cannot be checked")
                .isFalse();
        assertThat(AlertPipeline.unchangedBefore(new Opener(1, 1, 0, 0, "x", "/x", "x"), Instant.MAX))
                .as("on the host, the path alone")
                .isTrue();

        List<Alert> published = new CopyOnWriteArrayList<>();
        TokenRef token = new TokenRef(
                "/root/.aws/credentials",
                "fake-aws",
                Severity.HIGH,
                PolicyAction.ALERT,
                List.of(exe),
                KUBE,
                changed.minusSeconds(1));
        try (AlertPipeline pipeline = new AlertPipeline(id -> Optional.of(token), List.of(published::add), 16)) {
            pipeline.accept(new AccessEvent(1, Instant.now(), opener, Tier.FANOTIFY, false, 1));
            await().until(() -> published.size() == 1);
            assertThat(pipeline.untrusted()).isEqualTo(1);
            assertThat(pipeline.ignored()).isZero();
        }
    }

    @Test
    void aFailingSinkDoesNotStopTheOthers() {
        try (AlertPipeline pipeline = pipeline(alert -> {
            throw new IllegalStateException("webhook down");
        })) {
            pipeline.accept(event(1, "/bin/cat"));
            pipeline.accept(event(1, "/bin/cat"));
            await().until(() -> seen.size() == 2);
        }
    }

    @Test
    void jsonLineCarriesTheDocumentedFields() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (AlertPipeline pipeline =
                pipeline(new JsonLineSink(new PrintStream(bytes, true, StandardCharsets.UTF_8)))) {
            pipeline.accept(event(1, "/bin/cat"));
            await().until(() -> bytes.toString(StandardCharsets.UTF_8).endsWith("\n"));
        }
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .startsWith("{\"time\":\"2026-11-23T10:00:00Z\",\"path\":\"/root/.aws/credentials\",\"pid\":42,")
                .contains(
                        "\"comm\":\"cat\"",
                        "\"exe\":\"/bin/cat\"",
                        "\"cmdline\":\"cat /root/.aws/credentials\"",
                        "\"tier\":\"syscall\"",
                        "\"count\":3",
                        "\"action\":\"Alert\"",
                        "\"namespace\":\"cms\"",
                        "\"pod\":\"cms-1\"",
                        "\"podUid\":\"uid-1\"",
                        "\"container\":\"web\"",
                        "\"containerId\":\"c0ffee\"",
                        "\"image\":\"busybox\"",
                        "\"policy\":\"fake-aws\"",
                        "\"ancestors\":[{\"pid\":40,\"tgid\":40,\"comm\":\"sh\"}]",
                        "\"parentExe\":\"/bin/sh\"",
                        "\"parentCmdline\":\"sh -c cat\"",
                        "\"ancestorGone\":false",
                        // the token's container (no pid known in this test) cannot tell
                        "\"origin\":\"unknown\"")
                .endsWith(",\"schemaVersion\":1}\n")
                .doesNotContain("hostname");
    }

    @Test
    void withoutANodeTheJsonLineNamesTheHost() {
        TokenRef onTheHost =
                new TokenRef("/etc/token", "standalone", Severity.HIGH, PolicyAction.ALERT, List.of(), null);
        Alert alert = Alert.of(
                new AccessEvent(
                        1,
                        Instant.parse("2026-11-23T10:00:00Z"),
                        new Opener(42, 42, 0, 0, "cat", "/bin/cat", "cat /etc/token"),
                        Tier.FANOTIFY,
                        false,
                        1),
                onTheHost);

        assertThat(JsonLineSink.line(alert, "build-host"))
                .endsWith(",\"hostname\":\"build-host\",\"schemaVersion\":1}");
    }

    private static AccessEvent event(long token, String exe) {
        String comm = exe.substring(exe.lastIndexOf('/') + 1);
        return new AccessEvent(
                token,
                Instant.parse("2026-11-23T10:00:00Z"),
                new Opener(
                        42,
                        42,
                        0,
                        0,
                        comm,
                        exe,
                        comm + " /root/.aws/credentials",
                        null,
                        new Lineage(
                                List.of(new Ancestor(40, 40, "sh")),
                                "/bin/sh",
                                "sh -c cat",
                                false,
                                4026532100L,
                                40,
                                Origin.UNKNOWN)),
                Tier.SYSCALL,
                false,
                3);
    }
}
