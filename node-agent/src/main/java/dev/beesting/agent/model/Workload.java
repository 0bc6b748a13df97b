package dev.beesting.agent.model;

import java.util.Map;

/**
 * The workload a token is planted for and an alert names: one container of one pod on one node. The runtime's pods
 * and containers are mapped into it once, where they enter the agent; standalone, only the node (the host's name) is
 * known. Strings are empty, never null.
 *
 * @param node node name
 * @param namespace pod namespace
 * @param pod pod name
 * @param podUid pod uid
 * @param labels pod labels, what policies select on
 * @param container container name
 * @param containerId the runtime's container id
 * @param image the image the container was created from, as the runtime reports it
 */
public record Workload(
        String node,
        String namespace,
        String pod,
        String podUid,
        Map<String, String> labels,
        String container,
        String containerId,
        String image) {
    public Workload {
        node = orEmpty(node);
        namespace = orEmpty(namespace);
        pod = orEmpty(pod);
        podUid = orEmpty(podUid);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        container = orEmpty(container);
        containerId = orEmpty(containerId);
        image = orEmpty(image);
    }

    /** The host itself, for standalone tokens: a node and nothing in it. */
    public static Workload host(String node) {
        return new Workload(node, "", "", "", Map.of(), "", "", "");
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
