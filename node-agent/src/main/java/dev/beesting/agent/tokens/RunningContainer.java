package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import java.util.Map;
import java.util.Set;

/**
 * A container the runtime reported, with the pid of its first process (0 while it is created but not started).
 *
 * @param workload the container and its pod
 * @param mountPoints where the container's own mounts appear in it (Beesting's tokens left out): no token may
 *     replace or hide them
 * @param pid host pid of its first process, the way into its filesystem
 */
public record RunningContainer(Workload workload, Set<String> mountPoints, int pid) {
    public RunningContainer {
        mountPoints = Set.copyOf(mountPoints);
    }

    /** A container whose mounts the runtime did not list. */
    public RunningContainer(Workload workload, int pid) {
        this(workload, Set.of(), pid);
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

    /** Whether the runtime said which pod the container belongs to (every Kubernetes pod has a name). */
    public boolean podKnown() {
        return !workload.pod().isEmpty();
    }
}
