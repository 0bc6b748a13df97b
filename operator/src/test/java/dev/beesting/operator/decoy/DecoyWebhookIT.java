package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.webhook.WebhookFormat;
import dev.beesting.webhook.WebhookSender;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A use of a decoy credential against a started decoy reaches a webhook receiver on loopback (plain http, as with
 * {@code --webhook-allow-http}), in both formats; an invalid token reaches none, and a stalled receiver never holds up
 * an answer.
 */
class DecoyWebhookIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DecoyKey KEY = DecoyKey.generate("k1", RANDOM);
    private static final DecoyOrigin ORIGIN = DecoyFixtures.ORIGIN;
    private static final String KUBECTL = "kubectl/v1.31.4 (linux/amd64) kubernetes/a78aa47";
    private static DecoyTls tls;

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final DecoyMetrics metrics = new DecoyMetrics(registry);
    private HttpServer receiver;
    private DecoyWebhook webhook;
    private DecoyServer decoy;
    private HttpClient client;

    @BeforeAll
    static void certificate() {
        tls = DecoyTls.generate(List.of("localhost"), List.of("127.0.0.1"), RANDOM);
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (decoy != null) {
            decoy.close();
        }
        if (webhook != null) {
            webhook.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** The receiver on loopback, then the decoy sending to it. */
    private void start(WebhookFormat format, int queueCapacity, boolean stall) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        receiver.createContext("/hook", (HttpExchange exchange) -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (stall) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        URI url = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        WebhookSender.Settings settings = new WebhookSender.Settings(
                url,
                Map.of(),
                queueCapacity,
                3,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                true,
                format);
        webhook = new DecoyWebhook(settings, metrics);
        DecoyUses uses = new DecoyUses(lines::add, 1000, webhook::offer);
        decoy = DecoyServer.start(
                DecoyServer.Settings.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                tls.serverContext(),
                () -> List.of(KEY),
                uses,
                metrics,
                Clock.systemUTC());
        client = HttpClient.newBuilder()
                .sslContext(tls.clientContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private int get(String path, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://127.0.0.1:" + decoy.address().getPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("User-Agent", KUBECTL)
                .build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private long deliveries(String result) {
        return registry.scrape().stream()
                .filter(metric -> metric.getMetadata().getName().equals("beesting_webhook_deliveries"))
                .flatMap(metric -> ((CounterSnapshot) metric).getDataPoints().stream())
                .filter(point -> point.getLabels().get("result").equals(result))
                .mapToLong(point -> (long) point.getValue())
                .sum();
    }

    private static String flipped(String token) {
        int at = token.length() - 5;
        return token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
    }

    @Test
    void aUseIsPostedAsItsJsonLineAndAnInvalidTokenIsNot() throws Exception {
        start(WebhookFormat.BEESTING, 16, false);
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        assertThat(get("/api", flipped(token))).isEqualTo(401);
        assertThat(get("/api/v1/namespaces/kube-system/secrets", token)).isEqualTo(403);

        // one sender, first in first out: a POST for the invalid token would have come before this one
        await().until(() -> webhook.counters().sent() == 1);
        assertThat(bodies).hasSize(1);
        assertThat(bodies.getFirst()).isEqualTo(lines.getFirst());
        JsonNode use = new ObjectMapper().readTree(bodies.getFirst());
        assertThat(use.get("access").asText()).isEqualTo("Use");
        assertThat(use.get("namespace").asText()).isEqualTo("cms");
        assertThat(use.get("pod").asText()).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(use.get("container").asText()).isEqualTo("cms");
        assertThat(use.get("path").asText()).isEqualTo("/root/.kube/config");
        assertThat(use.get("source").asText()).isEqualTo("127.0.0.1");
        assertThat(use.get("userAgent").asText()).isEqualTo(KUBECTL);
        assertThat(use.get("method").asText()).isEqualTo("GET");
        assertThat(use.get("requestPath").asText()).isEqualTo("/api/v1/namespaces/kube-system/secrets");
        assertThat(use.get("count").asLong()).isEqualTo(1);
        assertThat(deliveries("sent")).isEqualTo(1);
        assertThat(metrics.requests("invalid")).isEqualTo(1);
    }

    @Test
    void aUseIsPostedAsAFalcoEventNamingItsOriginAndSource() throws Exception {
        start(WebhookFormat.FALCOSIDEKICK, 16, false);
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        assertThat(get("/api/v1/namespaces/kube-system/secrets?limit=500", token))
                .isEqualTo(403);

        await().until(() -> webhook.counters().sent() == 1);
        JsonNode event = new ObjectMapper().readTree(bodies.getFirst());
        assertThat(event.get("rule").asText()).isEqualTo("Beesting honeytoken used");
        assertThat(event.get("priority").asText()).isEqualTo("Alert"); // severity critical, as the agent maps it
        assertThat(event.get("source").asText()).isEqualTo("beesting");
        assertThat(event.get("hostname").asText()).isEqualTo("worker-1");
        assertThat(event.get("tags").toString()).contains("T1552", "T1078");
        assertThat(event.get("output").asText())
                .contains("/root/.kube/config", "simplecms-6c4bfc97cd-wdnhv", "container.name=cms", "127.0.0.1")
                .doesNotContain("kubectl", "limit=500"); // what the client chose stays in the fields
        JsonNode fields = event.get("output_fields");
        assertThat(fields.get("k8s.ns.name").asText()).isEqualTo("cms");
        assertThat(fields.get("k8s.pod.name").asText()).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
        assertThat(fields.get("container.name").asText()).isEqualTo("cms");
        assertThat(fields.get("fd.name").asText()).isEqualTo("/root/.kube/config");
        assertThat(fields.get("beesting.access").asText()).isEqualTo("Use");
        assertThat(fields.get("beesting.source").asText()).isEqualTo("127.0.0.1");
        assertThat(fields.get("beesting.policy").asText()).isEqualTo("fake-kubeconfig");
        assertThat(fields.get("beesting.method").asText()).isEqualTo("GET");
        assertThat(fields.get("ka.useragent").asText()).isEqualTo(KUBECTL);
        assertThat(fields.get("ka.uri").asText()).isEqualTo("/api/v1/namespaces/kube-system/secrets?limit=500");
        assertThat(fields.get("beesting.count").asLong()).isEqualTo(1);
    }

    @Test
    void aStalledReceiverNeverHoldsUpAnAnswerAndAFullQueueIsCounted() throws Exception {
        start(WebhookFormat.BEESTING, 1, true);
        String token = DecoyCredential.encode(ORIGIN, KEY, RANDOM);
        assertThat(get("/api", token)).isEqualTo(200);
        await().until(() -> bodies.size() == 1); // the sender now waits on the receiver
        for (int i = 0; i < 5; i++) {
            assertThat(get("/api/v1/pods", token)).isEqualTo(403);
        }
        assertThat(webhook.counters().dropped()).isEqualTo(4); // one queued behind the stalled one
        assertThat(deliveries("dropped")).isEqualTo(4);
        release.countDown();
        await().until(() -> webhook.counters().sent() == 2);
    }
}
