package dev.beesting.operator.bench;

import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.operator.decoy.DecoyAlerts;
import dev.beesting.operator.decoy.DecoyMetrics;
import dev.beesting.operator.decoy.DecoyServer;
import dev.beesting.operator.decoy.DecoyTls;
import dev.beesting.operator.decoy.DecoyUses;
import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The decoy under load on loopback, with alerts flowing to the in-process mock API server, or to a real
 * kube-apiserver + etcd with {@code -Dbeesting.kubeApi=real}: requests per second with valid credentials from many
 * origins (each answered 403 and written as a Use alert), the answer's latency, and the time from a first request to
 * its HoneytokenAlert being readable. Args: seconds (10), client threads (4). Run with {@code hack/bench-decoy.sh
 * [--real-api]}; the rate limit is lifted, the point is the server's own cost.
 */
public final class DecoyBench {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ORIGINS = 200;
    private static final int FIRST_USES = 100;

    private DecoyBench() {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int status = 1;
        try (KubeApi api = KubeApi.start("cms")) {
            System.out.printf(
                    "BENCH decoy api=%s cores=%d%n",
                    KubeApi.realServerSelected() ? "kube-apiserver" : "mock",
                    Runtime.getRuntime().availableProcessors());
            run(api.client(), seconds, threads);
            status = 0;
        } finally {
            System.exit(status); // the mock server leaves non-daemon threads behind
        }
    }

    private static void run(KubernetesClient kube, int seconds, int threads) throws Exception {
        DecoyKey key = DecoyKey.generate("bench", RANDOM);
        DecoyTls tls = DecoyTls.generate(List.of("localhost"), List.of("127.0.0.1"), RANDOM);
        DecoyMetrics metrics = new DecoyMetrics(new PrometheusRegistry());
        DecoyServer.Settings settings = new DecoyServer.Settings(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16 * 1024, 4096, 1e9, 1_000_000, 10_000, 8);
        try (DecoyAlerts alerts = new DecoyAlerts(kube, metrics, 10_000);
                DecoyServer decoy = DecoyServer.start(
                        settings,
                        tls.serverContext(),
                        () -> List.of(key),
                        new DecoyUses(line -> {}, 10_000, (use, tally) -> alerts.offer(use)),
                        metrics,
                        Clock.systemUTC())) {
            URI uri = URI.create("https://127.0.0.1:" + decoy.address().getPort() + "/api/v1/namespaces/cms/pods");
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < ORIGINS; i++) {
                tokens.add(DecoyCredential.encode(origin("load-" + i), key, RANDOM));
            }
            throughput(tls, uri, tokens, Duration.ofSeconds(2), threads); // warm-up: JIT, TLS sessions
            long[] latencies = throughput(tls, uri, tokens, Duration.ofSeconds(seconds), threads);
            Arrays.sort(latencies);
            System.out.printf(
                    "BENCH decoy requests=%d seconds=%d threads=%d rps=%.0f p50=%.2fms p99=%.2fms alertsWritten=%d"
                            + " alertWritesFailed=%d%n",
                    latencies.length,
                    seconds,
                    threads,
                    latencies.length / (double) seconds,
                    percentile(latencies, 50) / 1e6,
                    percentile(latencies, 99) / 1e6,
                    metrics.alerts("written"),
                    metrics.alerts("failed"));
            // the load phase's alerts drain first: the next numbers are a first use on a quiet writer
            long drained = System.nanoTime();
            long written = -1;
            // nothing queued and nothing written for half a second: the batch in flight is done too
            while (alerts.pending() > 0 || written != metrics.alerts("written")) {
                written = metrics.alerts("written");
                Thread.sleep(500);
            }
            System.out.printf("BENCH decoy alert backlog drained in %.0fms%n", (System.nanoTime() - drained) / 1e6);
            firstUseToAlert(kube, tls, uri, key);
            System.out.printf(
                    "BENCH decoy alert writes: written=%d failed=%d eventFailed=%d%n",
                    metrics.alerts("written"), metrics.alerts("failed"), metrics.alerts("event_failed"));
        }
    }

    private static long[] throughput(DecoyTls tls, URI uri, List<String> tokens, Duration length, int threads)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            results.add(pool.submit(() -> {
                HttpClient client = client(tls);
                long[] own = new long[1 << 16];
                int n = 0;
                while (!stop.get()) {
                    String token = tokens.get((offset + n * threads) % tokens.size());
                    long start = System.nanoTime();
                    HttpResponse<Void> answer = client.send(
                            HttpRequest.newBuilder(uri)
                                    .header("Authorization", "Bearer " + token)
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (answer.statusCode() != 403) {
                        throw new IllegalStateException("expected 403, got " + answer.statusCode());
                    }
                    if (n == own.length) {
                        own = Arrays.copyOf(own, n * 2);
                    }
                    own[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(own, n);
            }));
        }
        Thread.sleep(length.toMillis());
        stop.set(true);
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> result : results) {
            all.add(result.get());
        }
        pool.shutdown();
        return all.stream().flatMapToLong(Arrays::stream).toArray();
    }

    private static void firstUseToAlert(KubernetesClient kube, DecoyTls tls, URI uri, DecoyKey key) throws Exception {
        HttpClient client = client(tls);
        long[] nanos = new long[FIRST_USES];
        for (int i = 0; i < FIRST_USES; i++) {
            DecoyOrigin origin = origin("first-" + i);
            String token = DecoyCredential.encode(origin, key, RANDOM);
            String name = DecoyAlerts.name(origin, "127.0.0.1");
            long start = System.nanoTime();
            client.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            while (true) {
                HoneytokenAlert alert = kube.resources(HoneytokenAlert.class)
                        .inNamespace("cms")
                        .withName(name)
                        .get();
                if (alert != null && alert.getStatus() != null && alert.getStatus().count != null) {
                    break;
                }
                if (System.nanoTime() - start > Duration.ofSeconds(30).toNanos()) {
                    throw new IllegalStateException("no alert within 30 s for " + name);
                }
                Thread.onSpinWait();
            }
            nanos[i] = System.nanoTime() - start;
        }
        int slowest = 0;
        for (int i = 1; i < nanos.length; i++) {
            slowest = nanos[i] > nanos[slowest] ? i : slowest;
        }
        Arrays.sort(nanos);
        System.out.printf(
                "BENCH decoy first request to readable alert: n=%d slowest=#%d p50=%.1fms p99=%.1fms max=%.1fms%n",
                FIRST_USES,
                slowest,
                percentile(nanos, 50) / 1e6,
                percentile(nanos, 99) / 1e6,
                nanos[nanos.length - 1] / 1e6);
    }

    private static HttpClient client(DecoyTls tls) {
        return HttpClient.newBuilder()
                .sslContext(tls.clientContext())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static DecoyOrigin origin(String pod) {
        return new DecoyOrigin(
                "bench",
                "worker-1",
                "cms",
                pod,
                "uid-" + pod,
                "app",
                "/root/.kube/config",
                "bench",
                "high",
                Instant.now());
    }

    private static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }
}
