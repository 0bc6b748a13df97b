package dev.beesting.operator.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.BuildInfo;
import dev.beesting.operator.OperatorSettings;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.TestPolicies;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Health, readiness and metrics over real HTTP on loopback. */
@Tag(KubeApi.TAG)
class OpsEndpointsIT {
    private OperatorHarness cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        cluster = OperatorHarness.start(new OperatorSettings(
                OperatorHarness.NAMESPACE,
                false,
                OperatorSettings.DEFAULT_LEASE,
                "test",
                Optional.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                Optional.empty()));
    }

    @AfterEach
    void stop() {
        cluster.close();
        http.close();
    }

    @Test
    void probesAnswerOkAndMetricsShowTheCompiledConfig() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);

        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.awaitConfig(c -> c.policies().size() == 1);
        // JOSDK records a reconcile's timer after the reconcile returns, so after the
        // config is written: wait for the scrape to show it rather than race it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertMetrics(get("/metrics")));
        assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    private static void assertMetrics(HttpResponse<String> metrics) {
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("beesting_operator_node_config_generation 1")
                .contains("beesting_operator_policies{state=\"accepted\"} 1")
                .contains("beesting_operator_compile_seconds_count")
                // JOSDK's reconciles, the JVM's own metrics, and which build runs
                .contains(
                        "beesting_operator_reconcile_seconds_count{controller=\"honeytokenpolicy\",result=\"success\"}")
                .contains("jvm_memory_used_bytes")
                .contains("beesting_build_info{component=\"operator\",version=\"" + BuildInfo.version() + "\"} 1");
    }

    private HttpResponse<String> get(String path) throws Exception {
        InetSocketAddress address = cluster.operator().ops().orElseThrow().address();
        URI uri = URI.create("http://" + address.getHostString() + ":" + address.getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
