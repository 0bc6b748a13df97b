package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.sys.ProcFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tier reports who started the opener: the parent chain as it was at the open, the parent's command, and
 * where the chain leaves the opener's mount namespace (what tells a container's own processes from an exec).
 */
class AncestryIT {
    private static final int SELF = (int) ProcessHandle.current().pid();

    static List<Tier> tiers() {
        return TestTiers.selected();
    }

    private static Predicate<AccessEvent> catOf(long tokenId) {
        return e -> e.tokenId() == tokenId && e.opener().comm().equals("cat");
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void aShellThatRunsCatIsItsParentWithItsCommand(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);

            // the sleep keeps sh alive while the agent reads its command; cat is gone by then
            RealKernel.Run sh = RealKernel.run("sh", "-c", "cat \"$1\" >/dev/null; sleep 1", "sh", token.toString());

            Lineage lineage = kernel.awaitEvent(catOf(id)).opener().lineage();
            assertThat(sh.exitCode()).as(sh.stderr()).isZero();
            assertThat(lineage.ancestors()).first().satisfies(parent -> {
                assertThat(parent.comm()).isEqualTo("sh");
                assertThat(parent.tgid()).isEqualTo((int) sh.pid());
            });
            // above sh, this JVM (the thread that started sh)
            assertThat(lineage.ancestors()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(lineage.ancestors().get(1).tgid()).isEqualTo(SELF);
            assertThat(lineage.parentExe()).matches(".*/(sh|dash|bash|busybox)");
            assertThat(lineage.parentCmdline()).isEqualTo("sh -c cat \"$1\" >/dev/null; sleep 1 sh " + token);
            assertThat(lineage.gone()).isFalse();
            assertThat(lineage.mountNamespace()).isEqualTo(ProcFiles.mountNamespace(SELF));
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void aProcessTreeInItsOwnMountNamespaceLeavesItAtItsFirstProcess(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);

            // like a container: unshare execs the outer sh in a new mount namespace; it runs a shell that runs cat
            RealKernel.Run outer = RealKernel.run(
                    "unshare",
                    "-m",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    "sh -c 'cat \"$1\" >/dev/null; sleep 1' inner \"$1\"; true",
                    "outer",
                    token.toString());

            Lineage lineage = kernel.awaitEvent(catOf(id)).opener().lineage();
            assertThat(outer.exitCode()).as(outer.stderr()).isZero();
            assertThat(lineage.ancestors()).extracting(Ancestor::comm).startsWith("sh", "sh");
            assertThat(lineage.ancestors().get(1).tgid()).isEqualTo((int) outer.pid());
            assertThat(lineage.entryTgid()).isEqualTo((int) outer.pid());
            assertThat(lineage.mountNamespace()).isNotZero().isNotEqualTo(ProcFiles.mountNamespace(SELF));
        }
    }

    @ParameterizedTest
    @MethodSource("tiers")
    void aProcessThatEnteredTheNamespaceFromOutsideLeavesItAtItself(Tier tier) throws Exception {
        try (RealKernel kernel = RealKernel.open(tier, RateLimit.DEFAULT)) {
            Path token = kernel.plant("token", "secret\n");
            long id = kernel.detector.arm(token, AccessAction.ALERT);
            // the "container": a first process in a mount namespace of its own
            Process init = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sleep", "30").start();
            try {
                long namespace = awaitOwnNamespace((int) init.pid());

                // an exec: nsenter joins that namespace from here and execs sh, which runs cat
                RealKernel.Run exec = RealKernel.run(
                        "nsenter",
                        "--mount=/proc/" + init.pid() + "/ns/mnt",
                        "sh",
                        "-c",
                        "cat \"$1\" >/dev/null; sleep 1",
                        "sh",
                        token.toString());

                Lineage lineage = kernel.awaitEvent(catOf(id)).opener().lineage();
                assertThat(exec.exitCode()).as(exec.stderr()).isZero();
                assertThat(lineage.mountNamespace()).isEqualTo(namespace);
                assertThat(lineage.entryTgid()).isEqualTo((int) exec.pid()).isNotEqualTo((int) init.pid());
            } finally {
                init.destroyForcibly();
                init.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The namespace of a process once unshare has made it and exec'd (until then it is this JVM's). */
    private static long awaitOwnNamespace(int pid) {
        long host = ProcFiles.mountNamespace(SELF);
        return org.awaitility.Awaitility.await()
                .until(() -> ProcFiles.mountNamespace(pid), ns -> ns != 0 && ns != host);
    }
}
