package dev.beesting.e2e.fleet;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.kube.AlertWriter;
import dev.beesting.agent.kube.NamespaceLabels;
import dev.beesting.agent.kube.NodeConfigWatcher;
import dev.beesting.agent.kube.NodeState;
import dev.beesting.agent.kube.NodeStatusWriter;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node's agent as the API server sees it: the agent's own config watcher (which reads the v2 key where the Secret
 * has it, as the real agent does), HoneytokenNode status writer (which reports configFormat v2) and alert writer,
 * with their production settings, on a client of its own. No NRI and no detector: a config generation counts as
 * applied the moment the watcher has it, and accesses are handed to the alert writer by the benchmark.
 *
 * <p>The namespace view of config format v2 ({@link NamespaceLabels}) is one per JVM, shared by every simulated node
 * and not owned by any: a thousand informers on every namespace in one JVM would measure this JVM's memory, not a
 * node's. What one node's view receives is measured once, by {@link NamespaceEvents}.
 */
final class SimulatedNode implements AutoCloseable {
    static final String TOKEN_PATH = "/var/run/secrets/eks.amazonaws.com/access_key_token";

    private final String name;
    private final KubernetesClient client;
    private final NodeConfigWatcher watcher;
    private final AlertWriter alerts;
    private final NodeStatusWriter status;
    private final NamespaceLabels namespaces;

    private SimulatedNode(
            String name,
            KubernetesClient client,
            String namespace,
            Optional<String> policyNamespace,
            Path stateDir,
            NamespaceLabels namespaces) {
        this.name = name;
        this.client = client;
        this.namespaces = namespaces;
        this.watcher = NodeConfigWatcher.start(client, namespace, policyNamespace, Optional.empty());
        this.alerts = AlertWriter.start(client, stateDir, AlertWriter.Settings.defaults(), Clock.systemUTC());
        this.status = NodeStatusWriter.start(
                client, name, "fleet-bench", this::state, NodeStatusWriter.Settings.defaults(), Clock.systemUTC());
        // as NodeCommand does when the reconciler applied a generation (here: the moment the watcher holds it)
        watcher.onNewGeneration(config -> status.changed());
    }

    /**
     * Starts the three parts, as {@code NodeCommand} does in a cluster; the node owns {@code client} from now on, not
     * the shared {@code namespaces}.
     */
    static SimulatedNode start(
            String name,
            KubernetesClient client,
            String namespace,
            Optional<String> policyNamespace,
            Path stateDir,
            NamespaceLabels namespaces) {
        return new SimulatedNode(name, client, namespace, policyNamespace, stateDir, namespaces);
    }

    /** The labels of a namespace as this node's (shared) view has them. */
    Map<String, String> namespaceLabels(String namespace) {
        return namespaces.labelsOf(namespace);
    }

    private NodeState state() {
        return new NodeState(
                        "containerd", "2.1.9", true, "simulated", watcher.get().generation(), 0, 0)
                .withConfigFormat(watcher.format());
    }

    String name() {
        return name;
    }

    /** The newest config generation this node's watcher holds. */
    long generation() {
        return watcher.get().generation();
    }

    /** Alerts not yet delivered. */
    int pendingAlerts() {
        return alerts.pending();
    }

    /** One first access of the token of {@code pod} (unique uid) in {@code namespace}, as the pipeline reports it. */
    void access(String namespace, String pod, String podUid, String policy, int pid) {
        Workload workload = new Workload(name, namespace, pod, podUid, Map.of(), "app", "c-" + podUid, "busybox");
        TokenRef token = new TokenRef(TOKEN_PATH, policy, Severity.HIGH, PolicyAction.ALERT, List.of(), workload);
        Opener opener = new Opener(pid, pid, 0, 0, "cat", "/bin/cat", "cat " + TOKEN_PATH);
        alerts.publish(new Alert(Instant.now(), token, opener, "simulated", 1, false));
    }

    @Override
    public void close() {
        status.close();
        alerts.close();
        watcher.close();
        client.close();
    }
}
