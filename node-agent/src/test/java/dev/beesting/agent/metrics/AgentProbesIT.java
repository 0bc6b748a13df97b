package dev.beesting.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@code /readyz} and {@code /healthz} over real HTTP on loopback, as the kubelet asks them. */
class AgentProbesIT {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswer503NamingWhatFailsAnd200OnceEverythingHolds() throws Exception {
        AtomicBoolean nri = new AtomicBoolean(false);
        AtomicBoolean detector = new AtomicBoolean(true);
        AtomicBoolean writer = new AtomicBoolean(true);
        Probes probes = new Probes(
                List.of(new Probes.Check("nri", nri::get), new Probes.Check("detector", detector::get)),
                List.of(new Probes.Check("detector", detector::get), new Probes.Check("alert-writer", writer::get)));
        try (AgentMetrics metrics = new AgentMetrics()) {
            int port = metrics.serve(InetAddress.getLoopbackAddress(), 0, probes);

            HttpResponse<String> notReady = get(port, "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("failing: nri\n");
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);

            nri.set(true);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
            assertThat(get(port, "/readyz").body()).isEqualTo("ok\n");

            detector.set(false);
            writer.set(false);
            HttpResponse<String> dead = get(port, "/healthz");
            assertThat(dead.statusCode()).isEqualTo(503);
            assertThat(dead.body()).isEqualTo("failing: detector, alert-writer\n");
            assertThat(get(port, "/readyz").body()).isEqualTo("failing: detector\n");
            // metrics are still served next to the probes
            assertThat(get(port, "/metrics").body()).contains("beesting_build_info");
        }
    }

    @Test
    void aCheckThatThrowsFails() throws Exception {
        Probes probes = new Probes(List.of(), List.of(new Probes.Check("broken", () -> {
            throw new IllegalStateException("bug");
        })));
        try (AgentMetrics metrics = new AgentMetrics()) {
            int port = metrics.serve(InetAddress.getLoopbackAddress(), 0, probes);
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(503);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        }
    }
}
