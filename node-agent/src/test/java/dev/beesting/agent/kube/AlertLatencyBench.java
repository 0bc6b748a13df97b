package dev.beesting.agent.kube;

import static dev.beesting.agent.kube.Alerts.access;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.model.TokenRef;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark command (hack/bench-alerts.sh, not a test): how soon a first access is visible to a watcher of the API,
 * and what publish() costs the pipeline during a flood. Prints numbers; the targets are read, not asserted.
 */
public final class AlertLatencyBench {
    private static final int ALERTS = 200;
    private static final int FLOOD = 200_000;

    private final Path stateDir;

    private AlertLatencyBench(Path stateDir) {
        this.stateDir = stateDir;
    }

    public static void main(String[] args) throws IOException {
        Path stateDir = Files.createTempDirectory("beesting-alert-bench-");
        AlertLatencyBench bench = new AlertLatencyBench(stateDir);
        int status = 1;
        try {
            bench.firstAccessToVisibleAlert();
            bench.floodPublishCost();
            status = 0;
        } finally {
            // the mock server and informers leave non-daemon threads behind
            System.exit(status);
        }
    }

    private void firstAccessToVisibleAlert() {
        Map<String, Long> arrivals = new ConcurrentHashMap<>();
        long[] latencies = new long[ALERTS];
        try (MockApiServer apiServer = new MockApiServer();
                KubernetesClient client = apiServer.client();
                SharedIndexInformer<HoneytokenAlert> watch = client.resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .inform(new Arrivals(arrivals));
                // the write path's own latency: alert after alert, the storm limit would pace them after its burst
                AlertWriter writer = AlertWriter.start(
                        client,
                        stateDir,
                        AlertWriter.Settings.defaults().withWriteLimit(AlertWriteLimit.OFF),
                        Clock.systemUTC())) {
            for (int i = 0; i < ALERTS; i++) {
                TokenRef token = Alerts.tokenInPod("pod-" + i, "uid-" + i);
                String name = AlertKey.of(token.workload(), token.path()).objectName();
                long start = System.nanoTime();
                writer.publish(access(token, 1, 1000 + i, "cat", Instant.now()));
                await().pollInterval(Duration.ofMillis(2)).until(() -> arrivals.containsKey(name));
                latencies[i] = arrivals.get(name) - start;
            }
        }
        Arrays.sort(latencies);
        Duration p50 = Duration.ofNanos(latencies[ALERTS / 2]);
        Duration p99 = Duration.ofNanos(latencies[ALERTS * 99 / 100]);
        System.out.printf(
                "access -> HoneytokenAlert visible to a watcher (mock API server, %d first accesses): p50 %d ms,"
                        + " p99 %d ms (target p99 <= 1000 ms)%n",
                ALERTS, p50.toMillis(), p99.toMillis());
    }

    private void floodPublishCost() {
        try (MockApiServer apiServer = new MockApiServer();
                KubernetesClient client = apiServer.client();
                AlertWriter writer =
                        AlertWriter.start(client, stateDir, AlertWriter.Settings.defaults(), Clock.systemUTC())) {
            Instant now = Instant.now();
            long start = System.nanoTime();
            for (int i = 1; i <= FLOOD; i++) {
                writer.publish(access(i, 4711, "cat", now));
            }
            long perPublish = (System.nanoTime() - start) / FLOOD;
            // one create, one status write and one Event: the flood itself waits for the next interval
            await().atMost(Duration.ofSeconds(30)).until(() -> writer.apiRequests() >= 3);
            System.out.printf(
                    "flood of %d accesses to one token: %d ns per publish(), %d API requests%n",
                    FLOOD, perPublish, writer.apiRequests());
        }
    }

    private record Arrivals(Map<String, Long> arrivals) implements ResourceEventHandler<HoneytokenAlert> {
        @Override
        public void onAdd(HoneytokenAlert alert) {
            seen(alert);
        }

        @Override
        public void onUpdate(HoneytokenAlert before, HoneytokenAlert after) {
            seen(after);
        }

        @Override
        public void onDelete(HoneytokenAlert alert, boolean unknown) {}

        private void seen(HoneytokenAlert alert) {
            if (alert.getStatus() != null && alert.getStatus().count != null) {
                arrivals.putIfAbsent(alert.getMetadata().getName(), System.nanoTime());
            }
        }
    }
}
