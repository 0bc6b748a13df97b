package dev.beesting.agent.detect;

import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.sys.ProcFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An opener's parent chain from /proc: the whole chain for the fanotify tier, the parent's executable and command
 * line for every tier. Each step is bounded; a process that is gone is said so, and the chain goes on from the
 * process that adopted its children.
 */
final class ProcAncestry {
    /** How far up the chain to look for where it leaves the opener's mount namespace (as the BPF hook does). */
    static final int WALK_MAX = 16;

    private static final long TICK_NANOS = 10_000_000L; // USER_HZ 100

    private ProcAncestry() {}

    /**
     * A chain read from /proc, without the parent's command yet.
     *
     * @param chain the ancestors and the opener's mount namespace facts
     * @param parentStartNanos the parent's start, nanoseconds after boot (to tick precision); 0 without a parent
     */
    record Walk(Lineage chain, long parentStartNanos) {}

    /** What the walk reads of a process: {@code /proc/<pid>/stat} and its mount namespace link. */
    interface Proc {
        /** The process's stat; empty when it is gone. */
        Optional<ProcFiles.Stat> stat(int pid);

        /** Its mount namespace, 0 when it cannot be read. */
        long mountNamespace(int pid);

        /** This machine's /proc. */
        Proc REAL = new Proc() {
            @Override
            public Optional<ProcFiles.Stat> stat(int pid) {
                return ProcFiles.stat(pid);
            }

            @Override
            public long mountNamespace(int pid) {
                return ProcFiles.mountNamespace(pid);
            }
        };
    }

    /**
     * The chain of process {@code tgid} as /proc shows it now. A parent that exited before this read reparents its
     * children (to the container's first process or the runtime's shim), so the chain is as of the read. Reads only
     * {@code stat} and namespace links, never a process's memory, so it cannot hang.
     */
    static Walk walk(int tgid) {
        return walk(tgid, Proc.REAL);
    }

    static Walk walk(int tgid, Proc proc) {
        long mountNamespace = proc.mountNamespace(tgid);
        var self = proc.stat(tgid);
        if (self.isEmpty()) {
            return new Walk(new Lineage(List.of(), "", "", true, mountNamespace, 0, Origin.UNKNOWN), 0);
        }
        List<Ancestor> ancestors = new ArrayList<>();
        int entry = tgid;
        boolean searching = mountNamespace != 0; // for where the chain leaves the opener's mount namespace
        boolean entryFound = false;
        boolean gone = false;
        long parentStart = 0;
        int pid = self.get().ppid();
        int child = tgid;
        int reparented = 0;
        for (int depth = 0; depth < WALK_MAX && pid > 0; ) {
            var stat = proc.stat(pid);
            if (stat.isEmpty()) {
                // the parent exited after its child named it: the kernel has handed the child to a reaper (the
                // runtime's shim, or the container's first process). Follow the child's new parent, and say so
                gone = true;
                int adopter = proc.stat(child).map(ProcFiles.Stat::ppid).orElse(0);
                if (adopter <= 0 || adopter == pid || ++reparented > 2) {
                    break;
                }
                pid = adopter;
                continue;
            }
            if (ancestors.size() < Lineage.MAX_ANCESTORS) {
                if (ancestors.isEmpty()) {
                    parentStart = stat.get().startTicks();
                }
                ancestors.add(new Ancestor(pid, pid, stat.get().comm()));
            }
            if (searching) {
                long namespace = proc.mountNamespace(pid);
                if (namespace != mountNamespace) {
                    // an unreadable namespace (0) counts as outside, as in the BPF hook: the agent may read every
                    // process of a container, so it is an exiting process (runc after an exec) or a host one
                    searching = false;
                    entryFound = true;
                } else {
                    entry = pid;
                }
            }
            if (!searching && ancestors.size() >= Lineage.MAX_ANCESTORS) {
                break;
            }
            child = pid;
            pid = stat.get().ppid();
            depth++;
        }
        return new Walk(
                new Lineage(ancestors, "", "", gone, mountNamespace, entryFound ? entry : 0, Origin.UNKNOWN),
                parentStart * TICK_NANOS);
    }

    /**
     * The chain with its parent's executable and command line, read only while {@code /proc/<tgid>} still is the
     * process the chain names (same start, {@code parentStartNanos} after boot): a reused pid is another process.
     * May block on the parent's memory like any command line read: call it off the reader.
     */
    static Lineage withParentCommand(Lineage chain, long parentStartNanos) {
        if (chain.parent().isEmpty()) {
            return chain;
        }
        int parent = chain.parent().get().tgid();
        if (!sameStart(parent, parentStartNanos)) {
            return gone(chain);
        }
        String exe = ProcCommand.readExe(parent);
        String cmdline = ProcCommand.readCmdline(parent);
        if (!sameStart(parent, parentStartNanos)) {
            return gone(chain);
        }
        return new Lineage(
                chain.ancestors(),
                exe,
                cmdline,
                chain.gone(),
                chain.mountNamespace(),
                chain.entryTgid(),
                chain.origin());
    }

    private static boolean sameStart(int pid, long startNanos) {
        return ProcFiles.stat(pid).filter(s -> s.startedAt(startNanos)).isPresent();
    }

    private static Lineage gone(Lineage chain) {
        return new Lineage(chain.ancestors(), "", "", true, chain.mountNamespace(), chain.entryTgid(), chain.origin());
    }
}
