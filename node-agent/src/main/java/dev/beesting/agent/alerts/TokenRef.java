package dev.beesting.agent.alerts;

import java.util.List;

/**
 * What an alert needs to know about an armed token.
 *
 * @param path the token's path as its users see it (in the container, or on the host when standalone)
 * @param policy the policy that planted it
 * @param severity low, medium, high or critical
 * @param action Alert or Block
 * @param ignoreProcesses executables whose opens raise no alert
 * @param kube the pod and container, or null when standalone
 */
public record TokenRef(
        String path, String policy, String severity, String action, List<String> ignoreProcesses, KubeContext kube) {
    public TokenRef {
        ignoreProcesses = ignoreProcesses == null ? List.of() : List.copyOf(ignoreProcesses);
    }
}
