package dev.beesting.agent.tokens;

/**
 * A container the runtime reported, with the pid of its first process (0 while it is created but not started).
 *
 * @param pod its pod
 * @param container the container
 * @param pid host pid of its first process, the way into its filesystem
 */
public record RunningContainer(PodInfo pod, ContainerInfo container, int pid) {
    public String id() {
        return container.id();
    }

    public boolean started() {
        return pid > 0;
    }
}
