package dev.beesting.agent.model;

import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.time.Instant;
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
 * @param trustExecutablesBefore an {@code ignoreProcesses} match counts only for an executable unchanged since before
 *     this instant (the container's start): a file the container wrote, replaced or linked at run time is not
 *     trusted, whatever its path. {@link Instant#MAX} on the host, where there is no container
 * @param containerInit the container's first process, recorded when it started; {@link ContainerInit#UNKNOWN} when
 *     unknown or on the host
 */
public record TokenRef(
        String path,
        String policy,
        Severity severity,
        PolicyAction action,
        List<String> ignoreProcesses,
        Workload workload,
        Instant trustExecutablesBefore,
        ContainerInit containerInit) {
    public TokenRef {
        ignoreProcesses = ignoreProcesses == null ? List.of() : List.copyOf(ignoreProcesses);
        trustExecutablesBefore = trustExecutablesBefore == null ? Instant.EPOCH : trustExecutablesBefore;
        containerInit = containerInit == null ? ContainerInit.UNKNOWN : containerInit;
    }

    /** A token whose container's first process is unknown. */
    public TokenRef(
            String path,
            String policy,
            Severity severity,
            PolicyAction action,
            List<String> ignoreProcesses,
            Workload workload,
            Instant trustExecutablesBefore) {
        this(path, policy, severity, action, ignoreProcesses, workload, trustExecutablesBefore, ContainerInit.UNKNOWN);
    }

    /** A token whose {@code ignoreProcesses} trust any executable unchanged since the epoch, i.e. none changed. */
    public TokenRef(
            String path,
            String policy,
            Severity severity,
            PolicyAction action,
            List<String> ignoreProcesses,
            Workload workload) {
        this(path, policy, severity, action, ignoreProcesses, workload, Instant.EPOCH);
    }
}
