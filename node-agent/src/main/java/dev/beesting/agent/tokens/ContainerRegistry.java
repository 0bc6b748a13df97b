package dev.beesting.agent.tokens;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every container the runtime reported and has not removed, with its pod and, once started, its pid. */
final class ContainerRegistry {
    private final Map<String, RunningContainer> containers = new ConcurrentHashMap<>();

    /** A container being created; a container already known (started, or synchronized) keeps what it has. */
    void created(RunningContainer container) {
        containers.putIfAbsent(container.id(), container);
    }

    /** A container the runtime reports with its current facts (started, or listed by Synchronize). */
    void update(RunningContainer container) {
        containers.put(container.id(), container);
    }

    void remove(String containerId) {
        containers.remove(containerId);
    }

    /** The container, or null when the runtime did not report it or removed it. */
    RunningContainer get(String containerId) {
        return containers.get(containerId);
    }

    List<String> ids() {
        return List.copyOf(containers.keySet());
    }
}
