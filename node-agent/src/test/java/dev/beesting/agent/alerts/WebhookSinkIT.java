package dev.beesting.agent.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.beesting.agent.model.Ancestor;
import dev.beesting.agent.model.Lineage;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.Origin;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import dev.beesting.webhook.WebhookFormat;
import dev.beesting.webhook.WebhookSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookSinkIT {
    private static final Workload KUBE =
            new Workload("worker-1", "cms", "cms-1", "uid-1", Map.of(), "web", "c0ffee", "busybox");
    private static final TokenRef TOKEN =
            new TokenRef("/root/.aws/credentials", "fake-aws", Severity.HIGH, PolicyAction.ALERT, List.of(), KUBE);

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();

    /** A receiver on loopback answering the n-th request (from 1) with the status the function gives. */
    private URI receiver(IntUnaryOperator statusOfRequest, boolean stall) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", (HttpExchange exchange) -> {
            int n = requests.incrementAndGet();
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (stall) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            requestTimes.add(System.nanoTime());
            int status = statusOfRequest.applyAsInt(n);
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", "1");
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stopReceiver() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private static WebhookSender.Settings settings(URI url, int capacity) {
        return new WebhookSender.Settings(
                url,
                Map.of("Authorization", "Bearer t0ken"),
                capacity,
                4,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofSeconds(2),
                true,
                WebhookFormat.BEESTING);
    }

    private static Alert alert(long count) {
        return new Alert(
                Instant.parse("2026-11-23T10:00:00Z"),
                TOKEN,
                new Opener(
                        4711,
                        4711,
                        0,
                        0,
                        "cat",
                        "/bin/cat",
                        "cat /root/.aws/credentials",
                        null,
                        new Lineage(
                                List.of(new Ancestor(4700, 4700, "sh"), new Ancestor(12, 12, "containerd-shim")),
                                "/bin/sh",
                                "sh -c cat /root/.aws/credentials",
                                false,
                                4026532100L,
                                4700,
                                Origin.EXEC)),
                "syscall",
                count,
                false);
    }

    @Test
    void eachAlertIsPostedAsJsonWithTheConfiguredHeaders() throws IOException {
        try (WebhookSink sink = new WebhookSink(settings(receiver(n -> 200, false), 16))) {
            sink.publish(alert(1));
            sink.publish(alert(2));
            await().until(() -> sink.counters().sent() == 2);
        }
        assertThat(bodies.getFirst())
                .startsWith("{\"time\":\"2026-11-23T10:00:00Z\",\"path\":\"/root/.aws/credentials\"")
                .contains("\"comm\":\"cat\"", "\"pod\":\"cms-1\"", "\"policy\":\"fake-aws\"", "\"count\":1");
        assertThat(authorizations).containsOnly("Bearer t0ken");
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffUntilItAccepts() throws IOException {
        try (WebhookSink sink = new WebhookSink(settings(receiver(n -> n <= 2 ? 503 : 204, false), 16))) {
            sink.publish(alert(1));
            await().until(() -> sink.counters().sent() == 1);
            assertThat(requests).hasValue(3);
            assertThat(sink.counters().failed()).isZero();
        }
    }

    @Test
    void aReceiversRetryAfterIsHonouredInsteadOfTheBackoff() throws IOException {
        try (WebhookSink sink = new WebhookSink(settings(receiver(n -> n == 1 ? 429 : 200, false), 16))) {
            sink.publish(alert(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.counters().sent() == 1);
        }
        // the backoff alone would have come back after 10 to 20 ms
        assertThat(Duration.ofNanos(requestTimes.get(1) - requestTimes.get(0)))
                .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void theFalcosidekickFormatIsAFalcoEventAsFalcosidekickParsesIt() throws IOException {
        WebhookSender.Settings falco = settings(receiver(n -> 200, false), 16).withFormat(WebhookFormat.FALCOSIDEKICK);
        try (WebhookSink sink = new WebhookSink(falco, "ignored-when-the-alert-has-a-node")) {
            sink.publish(alert(3));
            await().until(() -> sink.counters().sent() == 1);
        }
        JsonNode event = new ObjectMapper().readTree(bodies.getFirst());
        // what Falcosidekick's FalcoPayload.Check() requires: a known priority, a rule, a time, output fields
        assertThat(event.get("priority").asText().toLowerCase(java.util.Locale.ROOT))
                .isIn("emergency", "alert", "critical", "error", "warning", "notice", "informational", "debug");
        assertThat(event.get("rule").asText()).isNotBlank();
        assertThat(java.time.OffsetDateTime.parse(event.get("time").asText()).toInstant())
                .isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(event.get("output_fields").isObject()).isTrue();
        assertThat(event.get("output_fields").size()).isPositive();
        // and the fields its outputs read
        assertThat(event.get("output").asText()).contains("/root/.aws/credentials", "cms-1");
        assertThat(event.get("source").asText()).isEqualTo("beesting");
        assertThat(event.get("hostname").asText()).isEqualTo("worker-1");
        assertThat(event.get("tags").isArray()).isTrue();
        assertThat(event.get("tags"))
                .allSatisfy(tag -> assertThat(tag.isTextual()).isTrue());
        assertThat(java.util.UUID.fromString(event.get("uuid").asText())).isNotNull();
        JsonNode fields = event.get("output_fields");
        assertThat(fields.get("k8s.ns.name").asText()).isEqualTo("cms");
        assertThat(fields.get("k8s.pod.name").asText()).isEqualTo("cms-1");
        assertThat(fields.get("container.id").asText()).isEqualTo("c0ffee");
        assertThat(fields.get("proc.name").asText()).isEqualTo("cat");
        assertThat(fields.get("fd.name").asText()).isEqualTo("/root/.aws/credentials");
        assertThat(fields.get("beesting.count").asLong()).isEqualTo(3);
        // Falco's names for the parent chain, so rules and templates on proc.pname apply
        assertThat(fields.get("proc.pname").asText()).isEqualTo("sh");
        assertThat(fields.get("proc.ppid").asInt()).isEqualTo(4700);
        assertThat(fields.get("proc.pexepath").asText()).isEqualTo("/bin/sh");
        assertThat(fields.get("proc.pcmdline").asText()).isEqualTo("sh -c cat /root/.aws/credentials");
        assertThat(fields.get("proc.aname[2]").asText()).isEqualTo("containerd-shim");
        assertThat(fields.get("proc.apid[2]").asInt()).isEqualTo(12);
        assertThat(fields.get("beesting.origin").asText()).isEqualTo("exec");
        assertThat(event.get("output").asText()).contains("proc.pname=sh", "origin=exec");
        assertThat(event.get("priority").asText()).isEqualTo("Critical"); // severity high
    }

    @Test
    void aRejectedAlertIsNotRetried() throws IOException {
        try (WebhookSink sink = new WebhookSink(settings(receiver(n -> 400, false), 16))) {
            sink.publish(alert(1));
            await().until(() -> sink.counters().failed() == 1);
            assertThat(requests).hasValue(1);
        }
    }

    @Test
    void aStalledReceiverNeverBlocksPublishingAndTheQueueStaysBounded() throws IOException {
        try (WebhookSink sink = new WebhookSink(settings(receiver(n -> 200, true), 4))) {
            sink.publish(alert(1));
            await().until(() -> requests.get() == 1); // the sender is now stuck in the first request
            long start = System.nanoTime();
            for (int i = 2; i <= 1000; i++) {
                sink.publish(alert(i));
            }
            Duration publishing = Duration.ofNanos(System.nanoTime() - start);
            // a blocking publish would wait for the stalled receiver, i.e. forever: any bound far from that will do,
            // and a loaded CI machine needs room
            assertThat(publishing).isLessThan(Duration.ofSeconds(10));
            assertThat(sink.counters().dropped()).isEqualTo(1000 - 1 - 4);
            release.countDown();
            await().until(() -> sink.counters().sent() == 5);
        }
    }

    @Test
    void theUrlIsNeverLoggedOnlyItsHost() throws Exception {
        URI url = URI.create(receiver(n -> 400, false) + "/s3cr3t-path?token=s3cr3t-query");
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream logged = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logged, true, StandardCharsets.UTF_8));
        try (WebhookSink sink = new WebhookSink(settings(url, 1))) {
            sink.publish(alert(1));
            await().until(() -> sink.counters().failed() == 1);
            sink.publish(alert(2));
            sink.publish(alert(3));
            sink.publish(alert(4)); // a full queue is logged too
        } finally {
            System.setErr(original);
        }
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("webhook gave up", "127.0.0.1:" + url.getPort())
                .doesNotContain("s3cr3t");
    }

    @Test
    void plainHttpIsRefusedUnlessAllowedAndTheRefusalHidesTheUrl() {
        URI http = URI.create("http://alerts.example.com/hooks/s3cr3t");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookSender.Settings.defaults(http, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https")
                .hasMessageContaining("alerts.example.com")
                .hasMessageNotContaining("s3cr3t");
        assertThat(WebhookSender.Settings.defaults(http, true).url()).isEqualTo(http);
        assertThat(WebhookSender.Settings.defaults(URI.create("https://alerts.example.com/h"), false)
                        .url())
                .hasScheme("https");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> WebhookSender.Settings.defaults(URI.create("file:///etc/passwd"), true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReceiverThatStallsItsResponseBodyIsCutOffByTheTimeout() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", (HttpExchange exchange) -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // chunked: the body may go on forever
            exchange.getResponseBody().write('{');
            exchange.getResponseBody().flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        WebhookSender.Settings oneQuickAttempt = new WebhookSender.Settings(
                url,
                Map.of(),
                16,
                1,
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofMillis(300),
                true,
                WebhookFormat.BEESTING);
        try (WebhookSink sink = new WebhookSink(oneQuickAttempt)) {
            sink.publish(alert(1));
            sink.publish(alert(2));
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.counters().failed() == 2);
            assertThat(requests).hasValue(2);
        }
    }
}
