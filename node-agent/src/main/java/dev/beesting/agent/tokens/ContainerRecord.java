package dev.beesting.agent.tokens;

import java.util.List;

/**
 * What the agent planted into one container, persisted so that a restarted agent can re-arm it.
 *
 * @param pod the pod
 * @param container the container
 * @param tokens the planted files
 */
public record ContainerRecord(PodInfo pod, ContainerInfo container, List<Entry> tokens) {
    public ContainerRecord {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /**
     * One planted file.
     *
     * @param index the file's number in the container's token folder
     * @param path the path inside the container
     * @param policy the policy name
     */
    public record Entry(int index, String path, String policy) {}
}
