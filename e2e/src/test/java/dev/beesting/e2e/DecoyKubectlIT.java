package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Workload;
import dev.beesting.agent.tokens.TemplateRenderer;
import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.operator.decoy.DecoyMetrics;
import dev.beesting.operator.decoy.DecoyServer;
import dev.beesting.operator.decoy.DecoyTls;
import dev.beesting.operator.decoy.DecoyUses;
import dev.beesting.operator.testing.RealParts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real kubectl, given a kubeconfig the agent rendered for a container, talks to the decoy on loopback: it fails
 * with an authorization error, and the decoy names the container the kubeconfig was planted in.
 */
class DecoyKubectlIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Workload WORKLOAD = new Workload(
            "worker-1",
            "cms",
            "simplecms-6c4bfc97cd-wdnhv",
            "0b7c4e4a-3f0e-4a53-9d6e-2f9a8c1d5e77",
            Map.of(),
            "cms",
            "c0ffee",
            "simplecms:1");

    @TempDir
    Path scratch;

    @Test
    void kubectlWithAStolenKubeconfigIsForbiddenAndTheDecoyNamesTheOriginPod() throws Exception {
        Path kubectl = RealParts.kubectl();
        DecoyKey key = DecoyKey.generate("k1", RANDOM);
        DecoyTls tls = DecoyTls.generate(List.of("localhost"), List.of("127.0.0.1"), RANDOM);
        List<String> lines = new CopyOnWriteArrayList<>();
        DecoyUses uses = new DecoyUses(lines::add, 100);
        try (DecoyServer decoy = DecoyServer.start(
                DecoyServer.Settings.defaults(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                tls.serverContext(),
                () -> List.of(key),
                uses,
                new DecoyMetrics(new PrometheusRegistry()),
                Clock.systemUTC())) {
            DecoySettings settings = new DecoySettings(
                    "https://127.0.0.1:" + decoy.address().getPort(),
                    tls.caCertificate(),
                    "prod-eu",
                    DecoySettings.Key.of(key),
                    null);
            String rendered = new TemplateRenderer(() -> Optional.of(settings))
                    .forContainer(WORKLOAD)
                    .render(
                            "{{kubeconfig}}",
                            new TemplateRenderer.Target("/root/.kube/config", "fake-kubeconfig", "critical", null));
            Path stolen = Files.writeString(scratch.resolve("stolen"), rendered);

            Process process = new ProcessBuilder(
                            kubectl.toString(),
                            "--kubeconfig",
                            stolen.toString(),
                            "--request-timeout=20s",
                            "get",
                            "pods")
                    .redirectErrorStream(true)
                    .start();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.exitValue()).as(output).isNotZero();
            assertThat(output).contains("Forbidden");
            assertThat(output).doesNotContainIgnoringCase("x509").doesNotContainIgnoringCase("certificate");
            assertThat(uses.recent()).isNotEmpty().allSatisfy(use -> {
                DecoyOrigin origin = use.origin();
                assertThat(origin.pod()).isEqualTo("simplecms-6c4bfc97cd-wdnhv");
                assertThat(origin.namespace()).isEqualTo("cms");
                assertThat(origin.container()).isEqualTo("cms");
                assertThat(origin.path()).isEqualTo("/root/.kube/config");
                assertThat(origin.cluster()).isEqualTo("prod-eu");
                assertThat(origin.policy()).isEqualTo("fake-kubeconfig");
                assertThat(use.userAgent()).startsWith("kubectl");
            });
            assertThat(uses.recent())
                    .extracting(DecoyUses.Use::requestPath)
                    .anySatisfy(path -> assertThat(path).startsWith("/api/v1/namespaces/cms/pods"));
            assertThat(lines.getLast()).contains("\"pod\":\"simplecms-6c4bfc97cd-wdnhv\"", "\"source\":\"127.0.0.1\"");
        }
    }
}
