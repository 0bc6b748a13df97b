package dev.beesting.agent.model;

/**
 * A container's first process, as the agent recorded it when the container started: its host pid, where the
 * container's own process tree starts, and its mount namespace, which every process of the container shares. Read
 * once at the start, so that an alert long after (the pid reused, the process gone) still compares with the
 * container's namespace.
 *
 * @param pid host pid; 0 when unknown (not started as far as the agent knows, or on the host)
 * @param mountNamespace inode of its mount namespace; 0 when it could not be read
 */
public record ContainerInit(int pid, long mountNamespace) {
    /** Nothing known: on the host, or a container not started. */
    public static final ContainerInit UNKNOWN = new ContainerInit(0, 0);

    /** Whether both facts are known. */
    public boolean known() {
        return pid > 0 && mountNamespace != 0;
    }
}
