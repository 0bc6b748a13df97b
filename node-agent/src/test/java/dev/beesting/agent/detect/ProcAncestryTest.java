package dev.beesting.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.sys.ProcFiles;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The /proc walk when processes exit while it reads: the kernel hands an exited parent's children to a reaper at
 * once, which a walk on real processes cannot catch in between, so these tests give it a /proc that changes under it.
 */
class ProcAncestryTest {
    private static final long CONTAINER = 4026532100L;
    private static final long HOST = 4026531841L;

    /** A /proc whose processes can exit and whose children are then adopted. */
    private static final class ChangingProc implements ProcAncestry.Proc {
        private final Map<Integer, ProcFiles.Stat> stats = new HashMap<>();
        private final Map<Integer, Long> namespaces = new HashMap<>();
        private final Map<Integer, Runnable> onRead = new HashMap<>();

        ChangingProc process(int pid, String comm, int ppid, long namespace) {
            stats.put(pid, new ProcFiles.Stat(comm, ppid, 1000 + pid));
            namespaces.put(pid, namespace);
            return this;
        }

        /** Runs {@code change} right after the first read of {@code pid}'s stat. */
        ChangingProc afterFirstRead(int pid, Runnable change) {
            onRead.put(pid, change);
            return this;
        }

        /** {@code pid} exits; its children are adopted by {@code reaper}. */
        void exit(int pid, int reaper) {
            stats.remove(pid);
            namespaces.remove(pid);
            stats.replaceAll((child, stat) ->
                    stat.ppid() == pid ? new ProcFiles.Stat(stat.comm(), reaper, stat.startTicks()) : stat);
        }

        @Override
        public Optional<ProcFiles.Stat> stat(int pid) {
            Optional<ProcFiles.Stat> stat = Optional.ofNullable(stats.get(pid));
            Runnable change = onRead.remove(pid);
            if (change != null) {
                change.run();
            }
            return stat;
        }

        @Override
        public long mountNamespace(int pid) {
            return namespaces.getOrDefault(pid, 0L);
        }
    }

    private static ChangingProc containerWithAnExecdShell() {
        // systemd 1 -> shim 5 -> container init 10 ; shim 5 -> exec'd sh 20 -> cat 30
        return new ChangingProc()
                .process(1, "systemd", 0, HOST)
                .process(5, "containerd-shim", 1, HOST)
                .process(10, "sleep", 5, CONTAINER)
                .process(20, "sh", 5, CONTAINER)
                .process(30, "cat", 20, CONTAINER);
    }

    @Test
    void aParentThatExitsMidWalkIsReportedGoneAndTheChainFollowsTheAdopter() {
        ChangingProc proc = containerWithAnExecdShell();
        // sh exits right after cat's stat named it: cat now belongs to the shim (its subreaper)
        proc.afterFirstRead(30, () -> proc.exit(20, 5));

        ProcAncestry.Walk walk = ProcAncestry.walk(30, proc);

        assertThat(walk.chain().gone()).isTrue();
        assertThat(walk.chain().ancestors()).extracting(Ancestor::comm).containsExactly("containerd-shim", "systemd");
        assertThat(walk.chain().mountNamespace()).isEqualTo(CONTAINER);
        // the chain leaves the container's namespace at cat itself: an exec, not the container's own tree
        assertThat(walk.chain().entryTgid()).isEqualTo(30);
    }

    @Test
    void aChildAdoptedByTheContainersFirstProcessReadsAsItsTree() {
        ChangingProc proc = containerWithAnExecdShell().process(30, "cat", 20, CONTAINER);
        proc.afterFirstRead(30, () -> proc.exit(20, 10));

        ProcAncestry.Walk walk = ProcAncestry.walk(30, proc);

        assertThat(walk.chain().gone()).isTrue();
        assertThat(walk.chain().ancestors()).extracting(Ancestor::tgid).containsExactly(10, 5, 1);
        assertThat(walk.chain().entryTgid())
                .as("the documented limit: an orphan reads as the container's")
                .isEqualTo(10);
    }

    @Test
    void anOpenerGoneWithItsParentEndsTheWalkSaidSo() {
        ChangingProc proc = containerWithAnExecdShell();
        proc.afterFirstRead(30, () -> {
            proc.exit(20, 5);
            proc.exit(30, 5);
        });

        ProcAncestry.Walk walk = ProcAncestry.walk(30, proc);

        assertThat(walk.chain().gone()).isTrue();
        assertThat(walk.chain().ancestors()).isEmpty();
        assertThat(walk.chain().entryTgid())
                .as("where it leaves the namespace is not known")
                .isZero();
    }

    @Test
    void adoptersThatKeepVanishingStopTheWalkInAFewSteps() {
        // a pathological /proc: every parent the child names is gone, and the child names another each time
        ProcAncestry.Proc vanishing = new ProcAncestry.Proc() {
            private int next = 100;

            @Override
            public Optional<ProcFiles.Stat> stat(int pid) {
                return pid == 30 ? Optional.of(new ProcFiles.Stat("cat", next++, 1030)) : Optional.empty();
            }

            @Override
            public long mountNamespace(int pid) {
                return CONTAINER;
            }
        };

        ProcAncestry.Walk walk = ProcAncestry.walk(30, vanishing);

        assertThat(walk.chain().gone()).isTrue();
        assertThat(walk.chain().ancestors()).isEmpty();
    }
}
