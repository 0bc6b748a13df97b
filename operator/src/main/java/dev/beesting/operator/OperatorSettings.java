package dev.beesting.operator;

import dev.beesting.api.nodeconfig.PolicyObject;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * How one operator process runs.
 *
 * @param namespace the operator's namespace: referenced Secrets, the node config Secret and the Lease live there
 * @param leaderElection whether to elect a leader through a Lease (needed when more than one replica runs)
 * @param leaseName name of that Lease
 * @param identity this replica's name in the Lease, usually the pod name
 * @param opsAddress where health, readiness and metrics are served; empty for none
 * @param alertRetention delete HoneytokenAlerts not seen for this long; empty keeps them forever
 * @param clusterName this cluster's name for decoy credentials; may be empty
 * @param policyNamespace where node config format v4 keeps its per-policy Secrets (nothing else lives there)
 */
public record OperatorSettings(
        String namespace,
        boolean leaderElection,
        String leaseName,
        String identity,
        Optional<InetSocketAddress> opsAddress,
        Optional<Duration> alertRetention,
        String clusterName,
        String policyNamespace) {

    public static final String DEFAULT_NAMESPACE = "beesting-system";
    public static final String DEFAULT_LEASE = "beesting-operator";

    public OperatorSettings {
        clusterName = clusterName == null ? "" : clusterName;
        policyNamespace = policyNamespace == null ? PolicyObject.DEFAULT_NAMESPACE : policyNamespace;
    }

    /** Without a cluster name for decoy credentials, with the default policy namespace. */
    public OperatorSettings(
            String namespace,
            boolean leaderElection,
            String leaseName,
            String identity,
            Optional<InetSocketAddress> opsAddress,
            Optional<Duration> alertRetention) {
        this(namespace, leaderElection, leaseName, identity, opsAddress, alertRetention, "", null);
    }

    /** Settings for tests: no leader election, no HTTP, no retention. */
    public static OperatorSettings forNamespace(String namespace) {
        return new OperatorSettings(namespace, false, DEFAULT_LEASE, "test", Optional.empty(), Optional.empty());
    }
}
