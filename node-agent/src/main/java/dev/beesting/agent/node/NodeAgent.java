package dev.beesting.agent.node;

import dev.beesting.agent.alerts.AlertPipeline;
import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.detect.NoUsableTierException;
import dev.beesting.agent.detect.Tier;
import dev.beesting.agent.kube.NodeState;
import dev.beesting.agent.model.ContainerInit;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.nri.plugin.NriPlugin;
import dev.beesting.agent.nri.plugin.NriPluginConfig;
import dev.beesting.agent.nri.plugin.RuntimeInfo;
import dev.beesting.agent.tokens.NamespaceLabelSource;
import dev.beesting.agent.tokens.PlantedToken;
import dev.beesting.agent.tokens.Reconciler;
import dev.beesting.agent.tokens.TemplateRenderer;
import dev.beesting.agent.tokens.TokenPlanter;
import dev.beesting.api.nodeconfig.NodeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent on a Kubernetes node: detector, token store, alert pipeline and NRI plugin, started in that order and
 * closed in reverse. A failing start step closes what the earlier ones opened.
 */
public final class NodeAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    /** NRI plugins run in index order; 10 leaves room for plugins that must see the container before us. */
    public static final String PLUGIN_INDEX = "10";
    /**
     * Time for one CreateContainer (render, write, arm every token). The stub caps it at half the runtime's
     * request timeout (2 s by default), so a loaded node still answers in time; planting normally takes a few ms.
     */
    static final Duration HANDLER_BUDGET = Duration.ofSeconds(1);
    /**
     * How long CreateContainer waits for a namespace the node's view has not seen (config format v2): half the
     * handler budget, so planting still fits; other containers' requests wait at most this long behind it.
     */
    static final Duration NAMESPACE_WAIT = Duration.ofMillis(500);

    private final Detector detector;
    private final TokenPlanter planter;
    private final AlertPipeline pipeline;
    private final NriTokenHandler handler;
    private final NriPlugin plugin;
    private final Reconciler reconciler;

    /**
     * How to run.
     *
     * @param nriSocket the runtime's NRI socket
     * @param stateDir where token files and restart state live
     * @param nodeName this node's name
     * @param tiers detector tiers to try, in order
     * @param forcedTier a tier to use or fail
     */
    public record Options(
            Path nriSocket, Path stateDir, String nodeName, List<Tier> tiers, Optional<Tier> forcedTier) {}

    private NodeAgent(
            Detector detector,
            TokenPlanter planter,
            AlertPipeline pipeline,
            NriTokenHandler handler,
            NriPlugin plugin,
            Reconciler reconciler) {
        this.detector = detector;
        this.planter = planter;
        this.pipeline = pipeline;
        this.handler = handler;
        this.plugin = plugin;
        this.reconciler = reconciler;
    }

    /** Starts everything; the NRI connection is made (and remade) in the background. */
    public static NodeAgent start(Options options, Supplier<NodeConfig> config, List<AlertSink> sinks)
            throws NoUsableTierException {
        return start(options, config, sinks, (method, latency) -> {});
    }

    /** Starts everything, reporting how long each NRI request took to {@code nriLatency}. */
    public static NodeAgent start(
            Options options,
            Supplier<NodeConfig> config,
            List<AlertSink> sinks,
            BiConsumer<String, Duration> nriLatency)
            throws NoUsableTierException {
        return start(options, config, NamespaceLabelSource.namesOnly(), sinks, nriLatency);
    }

    /** Starts everything, matching v2 namespace selectors against the labels {@code namespaces} knows. */
    public static NodeAgent start(
            Options options,
            Supplier<NodeConfig> config,
            NamespaceLabelSource namespaces,
            List<AlertSink> sinks,
            BiConsumer<String, Duration> nriLatency)
            throws NoUsableTierException {
        Detector detector = Detectors.open(options.tiers(), options.forcedTier());
        AlertPipeline pipeline = null;
        Reconciler reconciler = null;
        try {
            TemplateRenderer renderer =
                    new TemplateRenderer(() -> Optional.ofNullable(config.get().decoy()));
            TokenPlanter planter =
                    new TokenPlanter(options.stateDir(), detector, renderer, config, namespaces, options.nodeName());
            pipeline = new AlertPipeline(
                    id -> planter.token(id)
                            .map(t -> ref(t, planter.containerInit(t.workload().containerId()))),
                    sinks,
                    65_536);
            detector.start(pipeline::accept);
            reconciler = new Reconciler(planter);
            // with no container known yet the first pass is quick: it records the generation the agent starts with
            reconciler.request();
            NriTokenHandler handler = new NriTokenHandler(planter, options.nodeName(), reconciler::request, ns -> {
                if (config.get().bySelector()) {
                    namespaces.awaitNamespace(ns, NAMESPACE_WAIT);
                }
            });
            NriPlugin plugin = new NriPlugin(
                            NriPluginConfig.of("beesting", PLUGIN_INDEX)
                                    .withSocket(options.nriSocket())
                                    .withHandlerBudget(HANDLER_BUDGET),
                            new TimedNriHandler(handler, nriLatency))
                    .start();
            LOG.info(
                    "node agent started node={} tier={} nriSocket={} stateDir={}",
                    options.nodeName(),
                    detector.tier().id(),
                    options.nriSocket(),
                    options.stateDir());
            return new NodeAgent(detector, planter, pipeline, handler, plugin, reconciler);
        } catch (RuntimeException e) {
            if (reconciler != null) {
                reconciler.close();
            }
            if (pipeline != null) {
                pipeline.close();
            }
            detector.close();
            throw e;
        }
    }

    /**
     * A new node-config generation arrived: running containers that a policy now selects get its tokens live, and
     * tokens no policy wants any more are disarmed and taken away. Returns at once; the work runs in the background.
     */
    public void configChanged(NodeConfig config) {
        LOG.info(
                "following node config generation={} policies={}",
                config.generation(),
                config.policies().size());
        reconciler.request();
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public Tier tier() {
        return detector.tier();
    }

    /** Whether the detector still delivers events (its reader runs and makes progress); see Detector#alive. */
    public boolean detectorAlive() {
        return detector.alive();
    }

    public boolean nriConnected() {
        return plugin.isConnected();
    }

    /** The runtime of the current NRI connection, if any. */
    public Optional<RuntimeInfo> runtime() {
        return Optional.ofNullable(handler.runtime());
    }

    /**
     * What the HoneytokenNode reports about this agent, with the config generation it has fully applied; the config
     * format read is v2 here, the config watcher's own where one runs ({@link NodeState#withConfigFormat}).
     */
    public NodeState state() {
        RuntimeInfo info = handler.runtime();
        return new NodeState(
                info == null ? "" : info.name(),
                info == null ? "" : info.version(),
                plugin.isConnected(),
                detector.tier().id(),
                reconciler.appliedGeneration(),
                planter.armedCount(),
                (int) planter.failures(),
                planter.skippedByPolicy(),
                NodeConfig.FORMAT_V2);
    }

    public TokenPlanter planter() {
        return planter;
    }

    public AlertPipeline pipeline() {
        return pipeline;
    }

    public NriPlugin plugin() {
        return plugin;
    }

    static TokenRef ref(PlantedToken token, ContainerInit containerInit) {
        return new TokenRef(
                token.path(),
                token.policy().name(),
                token.policy().severity(),
                token.policy().action(),
                token.policy().ignoreProcesses(),
                token.workload(),
                token.containerStart(),
                containerInit);
    }

    /** Disconnects from the runtime first (no new tokens), then stops alerts and detection. Tokens stay on disk. */
    @Override
    public void close() {
        plugin.close();
        reconciler.close();
        pipeline.close();
        detector.close();
        LOG.info("node agent stopped armed={}", planter.armedCount());
    }
}
