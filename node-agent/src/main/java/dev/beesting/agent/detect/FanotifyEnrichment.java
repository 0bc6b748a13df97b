package dev.beesting.agent.detect;

import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.sys.ProcFiles;
import java.time.Instant;

/**
 * One fanotify open waiting for its answer while /proc is read: the opener waits, so /proc still shows it. Answered
 * once /proc told who it is or the enricher's deadline passed, then reported with what was read by then.
 */
final class FanotifyEnrichment implements Enricher.Task {
    private final FanotifyAnswers answers;
    private final EventGate events;
    private final int eventFd;
    private final boolean allow;
    private final long tokenId;
    private final int tid;
    private final long count;
    private final ProcStatus status;
    private volatile String exe = "";
    private volatile String cmdline = "";
    private volatile Instant exeChangedAt;
    private volatile Lineage lineage = Lineage.UNKNOWN;

    /** @param status read by the reader itself: it never touches the opener's memory, so it cannot hang */
    FanotifyEnrichment(
            FanotifyAnswers answers,
            EventGate events,
            int eventFd,
            boolean allow,
            long tokenId,
            int tid,
            long count,
            ProcStatus status) {
        this.answers = answers;
        this.events = events;
        this.eventFd = eventFd;
        this.allow = allow;
        this.tokenId = tokenId;
        this.tid = tid;
        this.count = count;
        this.status = status;
    }

    @Override
    public void read() {
        int pid = status.tgid() > 0 ? status.tgid() : tid;
        exe = ProcCommand.readExe(pid);
        // read right after the path and only while it still names the same file: what ignoreProcesses may trust
        exeChangedAt = ProcFiles.executableChangedAt(pid, exe).orElse(null);
        ProcAncestry.Walk walk = ProcAncestry.walk(pid); // never touches a process's memory: first
        lineage = walk.chain();
        cmdline = ProcCommand.readCmdline(pid);
        lineage = ProcAncestry.withParentCommand(walk.chain(), walk.parentStartNanos());
    }

    @Override
    public void finish(boolean complete) {
        answers.answer(eventFd, allow);
        events.accept(new AccessEvent(
                tokenId,
                Instant.now(),
                new Opener(
                        tid,
                        status.tgid(),
                        status.uid(),
                        status.gid(),
                        status.comm(),
                        exe,
                        cmdline,
                        exeChangedAt,
                        lineage),
                Tier.FANOTIFY,
                !allow,
                count));
    }
}
