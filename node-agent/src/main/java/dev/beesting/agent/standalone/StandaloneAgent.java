package dev.beesting.agent.standalone;

import dev.beesting.agent.detect.AccessEvent;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.standalone.StandaloneConfig.Content;
import dev.beesting.agent.standalone.StandaloneConfig.TokenSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The agent without NRI and Kubernetes: plants the configured host files, arms them, prints accesses as JSON. */
public final class StandaloneAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneAgent.class);

    private final Detector detector;
    private final StandaloneConfig config;
    private final JsonLines out;
    private final Set<String> ignored;
    private final Map<Long, Planter.Planted> armed = new LinkedHashMap<>();
    private final Map<Long, Path> paths = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean closed;

    private StandaloneAgent(Detector detector, StandaloneConfig config, PrintStream out) {
        this.detector = detector;
        this.config = config;
        this.out = new JsonLines(out, config.severity());
        this.ignored = Set.copyOf(config.ignoreProcesses());
    }

    /**
     * Plants and arms every token, then starts printing. On failure, what was planted is removed again (the
     * detector stays open: the caller owns it).
     */
    public static StandaloneAgent start(StandaloneConfig config, Detector detector, PrintStream out)
            throws IOException {
        StandaloneAgent agent = new StandaloneAgent(detector, config, out);
        try {
            for (TokenSpec token : config.tokens()) {
                agent.plantAndArm(token);
            }
        } catch (IOException | RuntimeException e) {
            agent.removeAll();
            throw e;
        }
        detector.start(agent::onAccess);
        log.info(
                "standalone agent armed tokens={} tier={} action={}",
                config.tokens().size(),
                detector.tier().id(),
                config.action());
        return agent;
    }

    private void plantAndArm(TokenSpec token) throws IOException {
        String content = switch (token.content()) {
            case Content.Value v -> v.value();
            case Content.Template t -> TokenTemplate.render(t.template());
        };
        Planter.Planted planted;
        try {
            planted = Planter.plant(token.path(), content, token.mode());
        } catch (IOException e) {
            throw new IOException("cannot plant " + token.path() + ": " + e.getMessage(), e);
        }
        try {
            long id = detector.arm(token.path(), config.action());
            armed.put(id, planted);
            paths.put(id, token.path());
        } catch (IOException | RuntimeException e) {
            Planter.remove(planted);
            throw new IOException("cannot arm " + token.path() + ": " + e.getMessage(), e);
        }
    }

    private void onAccess(AccessEvent event) {
        if (!event.process().exe().isEmpty() && ignored.contains(event.process().exe())) {
            return;
        }
        Path path = paths.get(event.tokenId());
        if (path != null) {
            out.print(event, path);
        }
    }

    /** The files currently planted and armed. */
    public synchronized Map<Long, Path> armedPaths() {
        return Map.copyOf(paths);
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
        paths.clear();
    }

    /** Disarms and deletes everything planted, then closes the detector. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeAll();
        detector.close();
        log.info("standalone agent stopped, planted tokens removed");
    }
}
