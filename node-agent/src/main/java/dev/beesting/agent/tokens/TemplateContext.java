package dev.beesting.agent.tokens;

/**
 * The values a token template may use about the container it is rendered for.
 *
 * @param podName pod name
 * @param podNamespace pod namespace
 * @param podUid pod uid
 * @param containerName container name
 * @param nodeName node name
 */
public record TemplateContext(
        String podName, String podNamespace, String podUid, String containerName, String nodeName) {}
