package dev.beesting.agent.node;

import dev.beesting.agent.alerts.AlertSink;
import dev.beesting.agent.alerts.JsonLineSink;
import dev.beesting.agent.detect.Detectors;
import dev.beesting.agent.detect.NoUsableTierException;
import dev.beesting.agent.detect.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code beesting-agent node}: the NRI plugin on a Kubernetes node. */
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
            description = "compiled node config (the operator's format) instead of the cluster's Secret")
    Path configFile;

    @Option(names = "--tier", description = "force a detector tier: lsm, fentry, kprobe, syscall or fanotify")
    String tier;

    @Option(
            names = "--node-name",
            defaultValue = "${env:NODE_NAME}",
            description = "this node's name (default: $NODE_NAME, else the host name)")
    String nodeName;

    @Override
    public Integer call() throws Exception {
        Optional<Tier> forced;
        try {
            forced = Optional.ofNullable(tier).map(Tier::fromId);
        } catch (IllegalArgumentException e) {
            System.err.println("--tier: " + e.getMessage());
            return 2;
        }
        if (configFile == null) {
            System.err.println("--config-file: required until the in-cluster config watch is wired");
            return 2;
        }
        FileConfigSource config;
        try {
            config = FileConfigSource.open(configFile, Duration.ofSeconds(2));
        } catch (IllegalArgumentException e) {
            System.err.println("--config-file: " + e.getMessage());
            return 2;
        }
        List<AlertSink> sinks = new ArrayList<>(List.of(new JsonLineSink(System.out)));
        String node = nodeName == null || nodeName.isBlank() ? hostName() : nodeName;
        NodeAgent agent;
        try {
            agent = NodeAgent.start(
                    new NodeAgent.Options(nriSocket, stateDir, node, Detectors.DEFAULT_ORDER, forced), config, sinks);
        } catch (NoUsableTierException e) {
            config.close();
            System.err.println("no detector tier can run on this kernel: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            config.close();
            stopped.countDown();
        }));
        LOG.info("running; stop with SIGTERM");
        stopped.await();
        return 0;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
