package dev.beesting.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.alerts.Alert;
import dev.beesting.agent.model.Opener;
import dev.beesting.agent.model.TokenRef;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import dev.beesting.webhook.WebhookCounters;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentMetricsIT {
    private record Counts(long sent, long dropped, long failed) implements WebhookCounters {}

    private static final TokenRef TOKEN =
            new TokenRef("/root/.aws/credentials", "fake-aws", Severity.HIGH, PolicyAction.ALERT, List.of(), null);

    private static Alert alert(String tier) {
        return new Alert(Instant.now(), TOKEN, new Opener(1, 1, 0, 0, "cat", "/bin/cat", "cat"), tier, 1, false);
    }

    private static String scrape(int port) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    @Test
    void metricsAreServedOnLoopbackInThePrometheusTextFormat() throws Exception {
        AtomicLong pipelineDrops = new AtomicLong(3);
        AtomicLong alertWriteErrors = new AtomicLong(2);
        try (AgentMetrics metrics = new AgentMetrics()) {
            int port = metrics.serve(InetAddress.getLoopbackAddress(), 0);
            metrics.publish(alert("syscall"));
            metrics.publish(alert("syscall"));
            metrics.publish(alert("fanotify"));
            metrics.armedTokens(31);
            metrics.nriRequest("CreateContainer", Duration.ofMillis(3));
            metrics.countDropped("pipeline", pipelineDrops::get);
            metrics.countApiWriteErrors("alerts", alertWriteErrors::get);
            pipelineDrops.set(5);
            metrics.detectorArmed("fanotify");
            metrics.nriConnected(() -> false);
            metrics.configGeneration(() -> 7);
            metrics.countWebhook(new Counts(0, 0, 4));
            metrics.alertWriteLimit(() -> 12, () -> 3);

            String body = scrape(port);
            assertThat(body)
                    .contains("beesting_alerts_total{policy=\"fake-aws\",severity=\"high\",tier=\"syscall\"} 2.0")
                    .contains("beesting_alerts_total{policy=\"fake-aws\",severity=\"high\",tier=\"fanotify\"} 1.0")
                    .contains("beesting_armed_tokens 31.0")
                    .contains("beesting_build_info{component=\"agent\",version=\""
                            + dev.beesting.api.BuildInfo.version() + "\"} 1")
                    .contains("beesting_nri_request_duration_seconds_bucket{method=\"CreateContainer\",le=\"0.005\"} 1")
                    .contains("beesting_nri_request_duration_seconds_count{method=\"CreateContainer\"} 1")
                    .contains("beesting_events_dropped_total{stage=\"pipeline\"} 5.0")
                    .contains("beesting_api_write_errors_total{writer=\"alerts\"} 2.0")
                    .contains("beesting_detector_info{tier=\"fanotify\"} 1")
                    .contains("beesting_nri_connected 0.0")
                    .contains("beesting_node_config_generation 7.0")
                    .contains("beesting_webhook_deliveries_total{result=\"failed\"} 4.0")
                    .contains("beesting_alert_writes_throttled_total 12.0")
                    .contains("beesting_alert_writes_waiting 3.0")
                    // the JVM's own, as on the operator
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_threads_current");
        }
    }

    @Test
    void gaugesTheAgentDoesNotKnowYetAreAbsentRatherThanZero() throws Exception {
        try (AgentMetrics metrics = new AgentMetrics()) {
            int port = metrics.serve(InetAddress.getLoopbackAddress(), 0);
            String body = scrape(port);
            assertThat(body)
                    .doesNotContain("beesting_nri_connected 0")
                    .doesNotContain("beesting_detector_info{")
                    .doesNotContain("beesting_node_config_generation 0")
                    .doesNotContain("beesting_alert_writes_waiting 0");
        }
    }
}
