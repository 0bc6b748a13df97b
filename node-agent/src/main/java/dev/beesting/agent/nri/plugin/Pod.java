package dev.beesting.agent.nri.plugin;

import java.util.Map;

/** What the runtime tells a plugin about a pod sandbox. */
public record Pod(
        String id,
        String name,
        String namespace,
        String uid,
        Map<String, String> labels,
        Map<String, String> annotations,
        String runtimeHandler) {
    public Pod {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
