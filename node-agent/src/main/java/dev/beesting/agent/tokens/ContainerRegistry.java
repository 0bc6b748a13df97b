package dev.beesting.agent.tokens;

import dev.beesting.agent.model.ContainerInit;
import dev.beesting.agent.sys.ProcFiles;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntToLongFunction;

/**
 * Every container the runtime reported and has not removed, with its pod and, once started, its pid and its first
 * process's mount namespace (read once, when the pid is first reported).
 */
final class ContainerRegistry {
    private final Map<String, RunningContainer> containers = new ConcurrentHashMap<>();
    private final Map<String, ContainerInit> inits = new ConcurrentHashMap<>();
    private final IntToLongFunction mountNamespaceOf;

    /** Reads namespaces from /proc. */
    ContainerRegistry() {
        this(ProcFiles::mountNamespace);
    }

    /** @param mountNamespaceOf a process's mount namespace by pid, 0 when it cannot be read */
    ContainerRegistry(IntToLongFunction mountNamespaceOf) {
        this.mountNamespaceOf = mountNamespaceOf;
    }

    /** A container being created; a container already known (started, or synchronized) keeps what it has. */
    void created(RunningContainer container) {
        containers.putIfAbsent(container.id(), container);
    }

    /** A container the runtime reports with its current facts (started, or listed by Synchronize). */
    void update(RunningContainer container) {
        containers.put(container.id(), container);
        if (container.started()) {
            inits.compute(
                    container.id(),
                    (id, known) -> known != null && known.pid() == container.pid()
                            ? known
                            : new ContainerInit(container.pid(), mountNamespaceOf.applyAsLong(container.pid())));
        }
    }

    void remove(String containerId) {
        containers.remove(containerId);
        inits.remove(containerId);
    }

    /** The container, or null when the runtime did not report it or removed it. */
    RunningContainer get(String containerId) {
        return containers.get(containerId);
    }

    /** The container's first process as recorded at its start; unknown before it started or once removed. */
    ContainerInit init(String containerId) {
        return inits.getOrDefault(containerId, ContainerInit.UNKNOWN);
    }

    List<String> ids() {
        return List.copyOf(containers.keySet());
    }
}
