package dev.beesting.agent.standalone;

import dev.beesting.agent.alerts.AlertPipeline;
import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.alerts.JsonLineSink;
import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.model.Workload;
import dev.beesting.agent.standalone.StandaloneConfig.Content;
import dev.beesting.agent.standalone.StandaloneConfig.TokenSpec;
import dev.beesting.agent.tokens.TemplateException;
import dev.beesting.agent.tokens.TemplateRenderer;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent without NRI and Kubernetes: plants the configured host files, arms them, and hands accesses to the
 * same alert pipeline as in a cluster, printing JSON lines.
 */
public final class StandaloneAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneAgent.class);
    /** The policy name standalone alerts carry. */
    static final String POLICY = "standalone";
    /** Templates see the host: no pod or container, the host name as node name. */
    static final Workload HOST = Workload.host(hostName());

    private final Detector detector;
    private final StandaloneConfig config;
    private final AlertPipeline pipeline;
    private final Map<Long, Planter.Planted> armed = new LinkedHashMap<>();
    private final Map<Long, TokenRef> refs = new ConcurrentHashMap<>();
    private boolean closed;

    private StandaloneAgent(Detector detector, StandaloneConfig config, PrintStream out, List<AlertSink> more) {
        this.detector = detector;
        this.config = config;
        List<AlertSink> sinks = new ArrayList<>(List.of(new JsonLineSink(out, hostName())));
        sinks.addAll(more);
        this.pipeline = new AlertPipeline(id -> Optional.ofNullable(refs.get(id)), sinks, 65_536);
    }

    /**
     * Plants and arms every token, then starts printing. On failure, what was planted is removed again (the
     * detector stays open: the caller owns it).
     */
    public static StandaloneAgent start(StandaloneConfig config, Detector detector, PrintStream out)
            throws IOException {
        return start(config, detector, out, List.of());
    }

    /** As {@link #start(StandaloneConfig, Detector, PrintStream)}, also handing every alert to {@code more}. */
    public static StandaloneAgent start(
            StandaloneConfig config, Detector detector, PrintStream out, List<AlertSink> more) throws IOException {
        StandaloneAgent agent = new StandaloneAgent(detector, config, out, more);
        try {
            // one rendering for the host: an access key id used in two files is the same key
            TemplateRenderer.Rendering rendering = new TemplateRenderer().forContainer(HOST);
            for (TokenSpec token : config.tokens()) {
                agent.plantAndArm(token, rendering);
            }
        } catch (IOException | RuntimeException e) {
            agent.removeAll();
            agent.pipeline.close();
            throw e;
        }
        detector.start(agent.pipeline::accept);
        log.info(
                "standalone agent armed tokens={} tier={} action={}",
                config.tokens().size(),
                detector.tier().id(),
                config.action());
        return agent;
    }

    private void plantAndArm(TokenSpec token, TemplateRenderer.Rendering rendering) throws IOException {
        String content;
        try {
            content = switch (token.content()) {
                case Content.Value v -> v.value();
                case Content.Template t -> rendering.render(t.template());
            };
        } catch (TemplateException e) {
            throw new IOException("cannot render " + token.path() + ": " + e.getMessage(), e);
        }
        Planter.Planted planted;
        try {
            planted = Planter.plant(token.path(), content, token.mode());
        } catch (IOException e) {
            throw new IOException("cannot plant " + token.path() + ": " + e.getMessage(), e);
        }
        try {
            long id = detector.arm(token.path(), config.action());
            armed.put(id, planted);
            refs.put(id, ref(token.path()));
        } catch (IOException | RuntimeException e) {
            Planter.remove(planted);
            throw new IOException("cannot arm " + token.path() + ": " + e.getMessage(), e);
        }
    }

    private TokenRef ref(Path path) {
        return new TokenRef(
                path.toString(),
                POLICY,
                Severity.valueOf(config.severity().toUpperCase(Locale.ROOT)),
                config.action() == AccessAction.BLOCK ? PolicyAction.BLOCK : PolicyAction.ALERT,
                config.ignoreProcesses(),
                null,
                // on the host there is no container start to compare with: the paths are the administrator's
                Instant.MAX);
    }

    /** The files currently planted and armed. */
    public synchronized Map<Long, Path> armedPaths() {
        Map<Long, Path> paths = new LinkedHashMap<>();
        refs.forEach((id, ref) -> paths.put(id, Path.of(ref.path())));
        return paths;
    }

    private synchronized void removeAll() {
        for (var entry : armed.entrySet()) {
            try {
                detector.disarm(entry.getKey());
            } catch (RuntimeException e) {
                log.warn(
                        "disarm failed id={} path={}",
                        entry.getKey(),
                        entry.getValue().file(),
                        e);
            }
            try {
                Planter.remove(entry.getValue());
            } catch (IOException e) {
                log.warn(
                        "removing planted token failed path={}",
                        entry.getValue().file(),
                        e);
            }
        }
        armed.clear();
        refs.clear();
    }

    /** Disarms and deletes everything planted, prints what is still queued, then closes the detector. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeAll();
        detector.close();
        pipeline.close();
        log.info("standalone agent stopped, planted tokens removed");
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
