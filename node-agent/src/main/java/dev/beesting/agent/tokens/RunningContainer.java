package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.agent.sys.ProcFiles;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A container the runtime reported, with the pid of its first process (0 while it is created but not started).
 *
 * @param workload the container and its pod
 * @param mounts its mounts as the runtime reports them (the spec's, other plugins' and Beesting's tokens); empty when
 *     the runtime did not say
 * @param pid host pid of its first process, the way into its filesystem
 */
public record RunningContainer(Workload workload, List<ContainerMount> mounts, int pid) {
    public RunningContainer {
        mounts = List.copyOf(mounts);
    }

    /** A container whose mounts the runtime did not list. */
    public RunningContainer(Workload workload, int pid) {
        this(workload, List.of(), pid);
    }

    /** A container the runtime listed without its pod: enough to keep or drop its tokens, not to plant new ones. */
    public static RunningContainer withoutPod(String node, String containerId, int pid) {
        return new RunningContainer(new Workload(node, "", "", "", Map.of(), "", containerId, ""), pid);
    }

    public String id() {
        return workload.containerId();
    }

    public boolean started() {
        return pid > 0;
    }

    /**
     * When the container started: its first process's start; for one not started yet, now (nothing of it has run).
     * If the start cannot be read, the epoch, so that no executable of it is trusted.
     */
    public Instant startedAt() {
        return started() ? ProcFiles.processStart(pid).orElse(Instant.EPOCH) : Instant.now();
    }

    /** Whether the runtime said which pod the container belongs to (every Kubernetes pod has a name). */
    public boolean podKnown() {
        return !workload.pod().isEmpty();
    }
}
