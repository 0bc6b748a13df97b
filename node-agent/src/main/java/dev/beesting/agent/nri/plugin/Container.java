package dev.beesting.agent.nri.plugin;

import java.util.List;
import java.util.Map;

/** What the runtime tells a plugin about a container; {@code mounts} include those other plugins added. */
public record Container(
        String id,
        String podSandboxId,
        String name,
        State state,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<String> args,
        List<Mount> mounts,
        int pid) {
    public Container {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
        args = List.copyOf(args);
        mounts = List.copyOf(mounts);
    }

    /** NRI's container states. */
    public enum State {
        UNKNOWN,
        CREATED,
        PAUSED,
        RUNNING,
        STOPPED
    }
}
