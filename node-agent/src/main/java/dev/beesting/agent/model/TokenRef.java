package dev.beesting.agent.model;

import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.util.List;

/**
 * What an alert needs to know about an armed token.
 *
 * @param path the token's path as its users see it (in the container, or on the host when standalone)
 * @param policy the policy that planted it
 * @param severity how urgent an access is
 * @param action what the detector does on an open
 * @param ignoreProcesses executables whose opens raise no alert
 * @param workload the container it was planted into, or null when standalone
 */
public record TokenRef(
        String path,
        String policy,
        Severity severity,
        PolicyAction action,
        List<String> ignoreProcesses,
        Workload workload) {
    public TokenRef {
        ignoreProcesses = ignoreProcesses == null ? List.of() : List.copyOf(ignoreProcesses);
    }
}
