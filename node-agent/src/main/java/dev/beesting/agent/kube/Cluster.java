package dev.beesting.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's connection to the API server, so that the wiring layer starts the cluster side without holding a
 * client type. Closing it closes the client; close what it started first.
 */
public final class Cluster implements AutoCloseable {
    private final KubernetesClient client;

    private Cluster(KubernetesClient client) {
        this.client = client;
    }

    /** Connects with the in-cluster (or kubeconfig) credentials and the agent's request settings. */
    public static Cluster connect() {
        return new Cluster(KubeClients.forAgent());
    }

    /**
     * Starts following the compiled node config in the Secret of {@code namespace} and, for format v4, the per-policy
     * objects of {@code policyNamespace} (none: v2 only), starting from the last good one kept under {@code stateDir}.
     */
    public NodeConfigWatcher watchNodeConfig(String namespace, Optional<String> policyNamespace, Path stateDir) {
        return NodeConfigWatcher.start(
                client, namespace, policyNamespace, Optional.of(stateDir.resolve(NodeConfigWatcher.SAVED)));
    }

    /** Starts following the labels of every namespace, for the namespace selectors of node config format v2. */
    public NamespaceLabels watchNamespaceLabels() {
        return NamespaceLabels.start(client);
    }

    /**
     * Starts writing HoneytokenAlerts and Pod Events within {@code limit}, keeping undelivered ones under
     * {@code stateDir}.
     */
    public AlertWriter startAlertWriter(Path stateDir, AlertWriteLimit limit, Clock clock) {
        return AlertWriter.start(
                client, stateDir, AlertWriter.Settings.defaults().withWriteLimit(limit), clock);
    }

    /** Starts keeping this node's HoneytokenNode status current. */
    public NodeStatusWriter startNodeStatus(
            String nodeName, String agentVersion, Supplier<NodeState> state, Clock clock) {
        return NodeStatusWriter.start(
                client, nodeName, agentVersion, state, NodeStatusWriter.Settings.defaults(), clock);
    }

    @Override
    public void close() {
        client.close();
    }
}
