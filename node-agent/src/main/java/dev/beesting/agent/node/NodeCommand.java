package dev.beesting.agent.node;

import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.alerts.JsonLineSink;
import dev.beesting.agent.alerts.WebhookSink;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.detect.NoUsableTierException;
import dev.beesting.agent.detect.Tier;
import dev.beesting.agent.kube.AlertWriteLimit;
import dev.beesting.agent.kube.AlertWriter;
import dev.beesting.agent.kube.Cluster;
import dev.beesting.agent.kube.NamespaceLabels;
import dev.beesting.agent.kube.NodeConfigWatcher;
import dev.beesting.agent.kube.NodeStatusWriter;
import dev.beesting.agent.metrics.AgentMetrics;
import dev.beesting.agent.metrics.Probes;
import dev.beesting.agent.tokens.NamespaceLabelSource;
import dev.beesting.api.BuildInfo;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.webhook.WebhookOptions;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code beesting-agent node}: the NRI plugin on a node. In a cluster it reads the compiled config from the Secret
 * {@code beesting-node-config} and reports to the API server; with {@code --config-file} it runs from a local file
 * and only prints JSON lines.
 */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Run as the NRI plugin of this node's container runtime: plant tokens into matching"
                + " containers and report every open of them.")
public final class NodeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCommand.class);

    @Option(names = "--nri-socket", defaultValue = "/var/run/nri/nri.sock", description = "NRI socket of the runtime")
    Path nriSocket;

    @Option(names = "--state-dir", defaultValue = "/var/lib/beesting", description = "token files and restart state")
    Path stateDir;

    @Option(
            names = "--config-file",
            description = "compiled node config (the operator's format); without it the agent reads the Secret"
                    + " beesting-node-config from the cluster")
    Path configFile;

    @Option(names = "--tier", description = "force a detector tier: lsm, fentry, kprobe, fanotify or syscall")
    String tier;

    @Option(
            names = "--node-name",
            defaultValue = "${env:NODE_NAME}",
            description = "this node's name (default: $NODE_NAME, else the host name)")
    String nodeName;

    @Option(
            names = "--namespace",
            defaultValue = "${env:POD_NAMESPACE:-beesting-system}",
            description = "namespace of the node config Secret (default: $POD_NAMESPACE, else beesting-system)")
    String namespace;

    @Option(
            names = "--policy-namespace",
            defaultValue = PolicyObject.DEFAULT_NAMESPACE,
            description = "namespace of node config format v4's per-policy Secrets; empty: read format v2 only")
    String policyNamespace;

    @Option(names = "--metrics-port", defaultValue = "0", description = "serve /metrics on this port (0: off)")
    int metricsPort;

    @Option(
            names = "--alert-writes-per-second",
            defaultValue = "5",
            description = "average API requests per second for HoneytokenAlerts and their Events (0: no limit);"
                    + " alerts over it wait, none is dropped")
    double alertWritesPerSecond;

    @Option(
            names = "--alert-write-burst",
            defaultValue = "50",
            description = "API requests for alerts at once after a quiet spell")
    int alertWriteBurst;

    @Mixin
    WebhookOptions webhook = new WebhookOptions();

    private final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        Optional<Tier> forced;
        try {
            forced = Optional.ofNullable(tier).map(Tier::fromId);
        } catch (IllegalArgumentException e) {
            System.err.println("--tier: " + e.getMessage());
            return 2;
        }
        AlertWriteLimit writeLimit;
        try {
            writeLimit = new AlertWriteLimit(alertWritesPerSecond, alertWriteBurst);
        } catch (IllegalArgumentException e) {
            System.err.println("--alert-writes-per-second, --alert-write-burst: " + e.getMessage());
            return 2;
        }
        String node = nodeName == null || nodeName.isBlank() ? hostName() : nodeName;
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            return run(node, forced, writeLimit, opened);
        } finally {
            closeAll(opened);
            closed.countDown();
        }
    }

    private int run(String node, Optional<Tier> forced, AlertWriteLimit writeLimit, Deque<AutoCloseable> opened)
            throws Exception {
        AgentMetrics metrics = new AgentMetrics();
        opened.push(metrics);
        List<AlertSink> sinks = new ArrayList<>(List.of(new JsonLineSink(System.out), metrics));
        Optional<WebhookSink> webhookSink;
        try {
            webhookSink = webhook.settings().map(settings -> new WebhookSink(settings, node));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (webhookSink.isPresent()) {
            WebhookSink sink = webhookSink.get();
            sinks.add(sink);
            metrics.countWebhook(sink.counters());
        }
        Supplier<NodeConfig> config;
        // the agent follows every new generation: live tokens for running containers, removal of unwanted ones
        Consumer<Consumer<NodeConfig>> onNewGeneration;
        Cluster cluster = null;
        NodeConfigWatcher watcher = null;
        AlertWriter alertWriter = null;
        // without an API server (--config-file) a v2 policy sees only each namespace's name label
        NamespaceLabelSource namespaces = NamespaceLabelSource.namesOnly();
        NamespaceLabels namespaceView = null;
        if (configFile != null) {
            try {
                FileConfigSource source = FileConfigSource.open(configFile, Duration.ofSeconds(2));
                opened.push(source);
                config = source;
                onNewGeneration = source::onNewGeneration;
            } catch (IllegalArgumentException e) {
                System.err.println("--config-file: " + e.getMessage());
                return 2;
            }
        } else {
            cluster = Cluster.connect();
            opened.push(cluster);
            watcher = cluster.watchNodeConfig(
                    namespace, Optional.of(policyNamespace).filter(n -> !n.isBlank()), stateDir);
            opened.push(watcher);
            config = watcher;
            onNewGeneration = watcher::onNewGeneration;
            namespaceView = cluster.watchNamespaceLabels();
            opened.push(namespaceView);
            namespaces = namespaceView;
            alertWriter = cluster.startAlertWriter(stateDir, writeLimit, Clock.systemUTC());
            sinks.add(alertWriter);
            metrics.alertWriteLimit(alertWriter::throttled, alertWriter::waitingForLimit);
            metrics.countDropped("alerts", alertWriter::dropped);
            metrics.countApiWriteErrors("alerts", alertWriter::writeErrors);
            metrics.countAlertsRefused("squatted", alertWriter::squatted);
            metrics.countAlertsRefused("rejected", alertWriter::rejected);
        }
        NodeAgent agent;
        try {
            agent = NodeAgent.start(
                    new NodeAgent.Options(nriSocket, stateDir, node, Detectors.DEFAULT_ORDER, forced),
                    config,
                    namespaces,
                    sinks,
                    metrics::nriRequest);
        } catch (NoUsableTierException e) {
            System.err.println("no detector tier can run on this kernel: " + e.getMessage());
            return 1;
        }
        opened.push(agent);
        onNewGeneration.accept(agent::configChanged);
        if (namespaceView != null) {
            // a new or relabeled namespace changes which v2 policies select its running pods, as a config change does
            namespaceView.onChange(agent.reconciler()::request);
        }
        // a generation that arrived between the agent's start and this subscription is applied too
        agent.reconciler().request();
        metrics.countDropped("pipeline", agent.pipeline()::dropped);
        metrics.countTokensSkipped("mounted", agent.planter()::skippedTotal);
        metrics.detectorArmed(agent.tier().id());
        metrics.nriConnected(agent::nriConnected);
        metrics.configGeneration(agent.reconciler()::appliedGeneration);
        if (cluster != null) {
            NodeConfigWatcher configWatcher = watcher;
            NodeStatusWriter status = cluster.startNodeStatus(
                    node, version(), () -> agent.state().withConfigFormat(configWatcher.format()), Clock.systemUTC());
            opened.push(status);
            // a finished rollout reaches the HoneytokenNode now, not at the writer's next periodic check
            agent.reconciler().onApplied(generation -> status.changed());
            metrics.countApiWriteErrors("node-status", status::writeErrors);
        }
        if (metricsPort > 0) {
            metrics.serve(InetAddress.getByName("0.0.0.0"), metricsPort, probes(agent, alertWriter));
        }
        Thread.ofVirtual().name("armed-gauge").start(() -> {
            while (true) {
                metrics.armedTokens(agent.planter().armedCount());
                try {
                    Thread.sleep(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            stop.countDown();
                            // the JVM halts when hooks end: wait for the main thread to close everything
                            try {
                                closed.await(15, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "shutdown"));
        LOG.info("running node={} mode={}; stop with SIGTERM", node, configFile != null ? "file" : "cluster");
        stop.await();
        return 0;
    }

    /**
     * Ready while registered with NRI and detecting; alive while the detector's reader and the alert writer loop
     * run. NRI reconnects by itself, so a lost connection makes the agent unready, never restarts it.
     */
    private static Probes probes(NodeAgent agent, AlertWriter alertWriter) {
        Probes.Check detector = new Probes.Check("detector", agent::detectorAlive);
        List<Probes.Check> liveness = new ArrayList<>(List.of(detector));
        if (alertWriter != null) {
            liveness.add(new Probes.Check("alert-writer", alertWriter::alive));
        }
        return new Probes(List.of(new Probes.Check("nri", agent::nriConnected), detector), liveness);
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            AutoCloseable next = opened.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("close failed part={} error={}", next.getClass().getSimpleName(), e.toString());
            }
        }
    }

    static String version() {
        return BuildInfo.version();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
