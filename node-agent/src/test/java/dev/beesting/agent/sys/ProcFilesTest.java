package dev.beesting.agent.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What the kernel says about this very process. */
class ProcFilesTest {
    @Test
    void processStartIsWhenThisJvmStarted() {
        Instant jvmStart = ProcessHandle.current().info().startInstant().orElseThrow();

        Instant start =
                ProcFiles.processStart((int) ProcessHandle.current().pid()).orElseThrow();

        assertThat(Duration.between(jvmStart, start).abs()).isLessThan(Duration.ofSeconds(2));
        assertThat(ProcFiles.processStart(Integer.MAX_VALUE)).isEmpty();
        assertThat(ProcFiles.processStart(0)).isEmpty();
    }

    @Test
    void executableChangeTimeIsTheCtimeOfTheFileTheProcessRuns() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        String exe = Files.readSymbolicLink(Path.of("/proc/self/exe")).toString();

        assertThat(ProcFiles.executableChangedAt(self, exe))
                .contains(((FileTime) Files.getAttribute(Path.of(exe), "unix:ctime")).toInstant());
        assertThat(ProcFiles.executableChangedAt(self, "/usr/bin/something-else"))
                .isEmpty();
        assertThat(ProcFiles.executableChangedAt(Integer.MAX_VALUE, exe)).isEmpty();
    }

    @Test
    void statNamesTheParentAndTheStartOfThisJvm() {
        int self = (int) ProcessHandle.current().pid();
        ProcessHandle parent = ProcessHandle.current().parent().orElseThrow();

        ProcFiles.Stat stat = ProcFiles.stat(self).orElseThrow();

        assertThat(stat.ppid()).isEqualTo((int) parent.pid());
        assertThat(stat.comm()).isNotEmpty();
        assertThat(stat.startedAt(stat.startTicks() * 10_000_000L + 9_999_999L)).isTrue();
        assertThat(stat.startedAt((stat.startTicks() + 1) * 10_000_000L)).isFalse();
        assertThat(ProcFiles.stat(Integer.MAX_VALUE)).isEmpty();
    }

    @Test
    void mountNamespaceIsTheInodeOfTheNamespaceLink() throws Exception {
        int self = (int) ProcessHandle.current().pid();
        long inode = (long) Files.getAttribute(Path.of("/proc/self/ns/mnt"), "unix:ino");

        assertThat(ProcFiles.mountNamespace(self)).isEqualTo(inode);
        assertThat(ProcFiles.mountNamespace(Integer.MAX_VALUE)).isZero();
    }
}
