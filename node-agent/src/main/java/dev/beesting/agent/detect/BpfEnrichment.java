package dev.beesting.agent.detect;

import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.sys.ProcFiles;
import java.time.Instant;
import java.util.function.Consumer;

/** One BPF event on its way to the sink: the kernel's record, completed from /proc if /proc answers in time. */
final class BpfEnrichment implements Enricher.Task {
    private final BpfEvents.Kernel kernel;
    private final Consumer<AccessEvent> deliver;
    private volatile String exe = "";
    private volatile String cmdline = "";
    private volatile Instant exeChangedAt;
    private volatile Lineage lineage;

    BpfEnrichment(BpfEvents.Kernel kernel, Consumer<AccessEvent> deliver) {
        this.kernel = kernel;
        this.deliver = deliver;
        this.lineage = kernel.lineage();
    }

    @Override
    public void read() {
        exe = ProcCommand.readExe(kernel.tgid());
        // read right after the path and only while it still names the same file: what ignoreProcesses may trust
        exeChangedAt = ProcFiles.executableChangedAt(kernel.tgid(), exe).orElse(null);
        cmdline = ProcCommand.readCmdline(kernel.tgid());
        lineage = ProcAncestry.withParentCommand(kernel.lineage(), kernel.parentStartNanos());
    }

    @Override
    public void finish(boolean complete) {
        deliver.accept(BpfEvents.event(kernel, exe, exeChangedAt, cmdline, lineage));
    }
}
