package dev.beesting.agent.standalone;

import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.alerts.WebhookSink;
import dev.beesting.agent.detect.Detector;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.detect.NoUsableTierException;
import dev.beesting.agent.detect.RateLimit;
import dev.beesting.agent.detect.Tier;
import dev.beesting.agent.metrics.AgentMetrics;
import dev.beesting.agent.metrics.Probes;
import dev.beesting.webhook.WebhookOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code beesting-agent standalone}: plant and watch host files from a YAML file, print JSON lines to stdout. */
@Command(
        name = "standalone",
        mixinStandardHelpOptions = true,
        description = "Plant honeytoken files on this host, watch them, and print one JSON line per access.")
public final class StandaloneCommand implements Callable<Integer> {
    static final int EXIT_MISSING_PART = 1;
    static final int EXIT_BAD_CONFIG = 2;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML file naming the tokens")
    Path config;

    @Option(
            names = "--tier",
            paramLabel = "TIER",
            converter = TierConverter.class,
            description =
                    "force one detector tier: lsm, fentry, kprobe, fanotify or syscall (default: first that works)")
    Tier tier;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "0",
            description = "serve /metrics, /readyz and /healthz on this port (default 0: off)")
    int metricsPort;

    @Mixin
    WebhookOptions webhook = new WebhookOptions();

    private final PrintStream out;
    private final PrintStream err;

    public StandaloneCommand() {
        this(System.out, System.err);
    }

    StandaloneCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws InterruptedException {
        StandaloneConfig parsed;
        try {
            parsed = StandaloneConfigParser.parse(Files.readString(config));
        } catch (IOException e) {
            err.println("beesting-agent: cannot read config " + config + ": " + e.getMessage());
            return EXIT_BAD_CONFIG;
        } catch (ConfigException e) {
            err.println("beesting-agent: invalid config " + config + ": " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        if (!isRoot()) {
            err.println("beesting-agent: standalone mode needs root: the detector loads BPF programs or fanotify"
                    + " marks (CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN) and plants files in system paths");
            return EXIT_MISSING_PART;
        }
        Detector detector;
        try {
            detector = Detectors.open(Detectors.DEFAULT_ORDER, Optional.ofNullable(tier), RateLimit.DEFAULT);
        } catch (NoUsableTierException e) {
            err.println("beesting-agent: " + e.getMessage());
            return EXIT_MISSING_PART;
        }
        AgentMetrics metrics = new AgentMetrics();
        List<AlertSink> sinks = new ArrayList<>(List.of(metrics));
        try {
            webhook.settings()
                    .map(settings -> new WebhookSink(settings, StandaloneAgent.hostName()))
                    .ifPresent(sink -> {
                        sinks.add(sink);
                        metrics.countWebhook(sink.counters());
                    });
        } catch (IllegalArgumentException e) {
            detector.close();
            err.println("beesting-agent: " + e.getMessage());
            return EXIT_BAD_CONFIG;
        }
        StandaloneAgent agent;
        try {
            // the alert pipeline owns its sinks: closing the agent closes the metrics server and the webhook too
            agent = StandaloneAgent.start(parsed, detector, out, sinks);
        } catch (IOException | RuntimeException e) {
            detector.close();
            err.println("beesting-agent: " + e.getMessage());
            return EXIT_MISSING_PART;
        }
        metrics.detectorArmed(detector.tier().id());
        if (metricsPort > 0) {
            try {
                // no NRI here: ready once the detector is armed, alive while its reader runs
                List<Probes.Check> checks = List.of(new Probes.Check("detector", detector::alive));
                metrics.serve(InetAddress.getByName("0.0.0.0"), metricsPort, new Probes(checks, checks));
            } catch (IOException | RuntimeException e) {
                agent.close();
                err.println("beesting-agent: " + e.getMessage());
                return EXIT_MISSING_PART;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM and Ctrl-C run shutdown hooks: disarm and delete what was planted before the JVM goes
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }));
        err.println("beesting-agent: watching " + parsed.tokens().size() + " token(s) with tier "
                + detector.tier().id() + "; try: cat "
                + parsed.tokens().getFirst().path());
        stopped.await();
        return 0;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Accepts the tier ids users see in docs and JSON lines. */
    static final class TierConverter implements ITypeConverter<Tier> {
        @Override
        public Tier convert(String value) {
            return Tier.fromId(value);
        }
    }
}
