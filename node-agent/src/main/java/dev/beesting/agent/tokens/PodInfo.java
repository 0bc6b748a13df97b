package dev.beesting.agent.tokens;

import java.util.Map;

/** The pod facts token matching and alerts need, independent of how the runtime reported them. */
public record PodInfo(String name, String namespace, String uid, Map<String, String> labels) {
    public PodInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
