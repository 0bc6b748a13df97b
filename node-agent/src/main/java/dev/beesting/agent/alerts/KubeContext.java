package dev.beesting.agent.alerts;

/**
 * Where in the cluster a token lives; absent in standalone mode.
 *
 * @param node node name
 * @param namespace pod namespace
 * @param pod pod name
 * @param podUid pod uid
 * @param container container name
 * @param containerId runtime container id
 * @param image container image
 */
public record KubeContext(
        String node, String namespace, String pod, String podUid, String container, String containerId, String image) {}
