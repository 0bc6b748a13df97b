package dev.beesting.e2e.fleet;

import com.sun.management.OperatingSystemMXBean;
import dev.beesting.operator.BeestingOperator;
import dev.beesting.operator.OperatorSettings;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The operator of the fleet benchmark, in a JVM of its own so that its heap and CPU are its own: the real
 * {@link BeestingOperator} (leader election on, as deployed) with a client that authenticates as the operator's
 * ServiceAccount and counts its requests. On each {@code stats} line on stdin it answers one {@code STATS {json}} line
 * (requests, heap used after a GC, CPU time); {@code quit} stops it.
 *
 * <p>Arguments: API server URL, CA certificate file, token file, namespace.
 */
public final class FleetOperatorProcess {
    private FleetOperatorProcess() {}

    public static void main(String[] args) throws Exception {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(args[0])
                .withCaCertFile(args[1])
                .withOauthToken(Files.readString(Path.of(args[2])).strip())
                .build();
        RequestCounter counter = new RequestCounter();
        KubernetesClient client = counter.client(config);
        OperatorSettings settings = new OperatorSettings(
                args[3], true, OperatorSettings.DEFAULT_LEASE, "fleet-bench", Optional.empty(), Optional.empty());
        BeestingOperator operator = new BeestingOperator(client, settings, Clock.systemUTC()).start();
        System.out.println("STARTED");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null && !line.equals("quit")) {
            if (line.equals("stats")) {
                System.out.println("STATS " + Serialization.asJson(stats(counter)));
                System.out.flush();
            }
        }
        operator.close();
        client.close();
        System.exit(0);
    }

    private static Map<String, Object> stats(RequestCounter counter) {
        System.gc();
        RequestCounter.Snapshot snapshot = counter.snapshot();
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("requests", snapshot.requests());
        stats.put("codes", snapshot.codes());
        stats.put("total", snapshot.total());
        stats.put("writes", snapshot.writes());
        stats.put(
                "heapUsed",
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        // the pools' peaks: the most the heap held between collections since the start
        stats.put(
                "heapPeak",
                ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(pool -> pool.getType() == MemoryType.HEAP)
                        .mapToLong(pool -> pool.getPeakUsage().getUsed())
                        .sum());
        stats.put(
                "cpuNanos",
                ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class).getProcessCpuTime());
        return stats;
    }
}
