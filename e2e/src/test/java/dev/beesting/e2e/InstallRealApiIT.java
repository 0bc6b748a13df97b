package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.operator.testing.KubeApi;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user types to install, with kubectl v1.34 against a real kube-apiserver that starts empty (no CRDs): every
 * object is accepted. The mock accepted a CRD that every real cluster refuses; this is where that would show.
 */
@Tag(KubeApi.REAL_ONLY_TAG)
class InstallRealApiIT {
    @TempDir
    Path scratch;

    private KubeApi api;
    private Path kubeconfig;

    @BeforeEach
    void start() throws IOException {
        assertThat(KubeApi.realServerSelected())
                .as("a real API server (-Pkube-api-test)")
                .isTrue();
        api = KubeApi.startEmpty();
        kubeconfig = Files.writeString(
                scratch.resolve("kubeconfig"), api.kubeconfig().orElseThrow());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void kubectlApplyOfTheCrdsFolderSucceeds() throws Exception {
        String out = kubectl("apply", "-f", "../crds/");
        assertThat(out)
                .contains(
                        "customresourcedefinition.apiextensions.k8s.io/honeytokenpolicies.beesting.dev created",
                        "customresourcedefinition.apiextensions.k8s.io/honeytokenalerts.beesting.dev created",
                        "customresourcedefinition.apiextensions.k8s.io/honeytokennodes.beesting.dev created",
                        "validatingadmissionpolicy.admissionregistration.k8s.io/honeytokenpolicies.beesting.dev created");
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/honeytokenpolicies.beesting.dev");

        // kubectl shows the printer columns in the declared order (the generator alone sorted them by path)
        kubectl("apply", "-f", "../crds/src/test/resources/policies/valid-minimal.yaml");
        assertThat(kubectl("get", "htp", "-o", "wide")
                        .lines()
                        .findFirst()
                        .orElseThrow()
                        .split("\\s+"))
                .containsExactly(
                        "NAME", "NAMESPACES", "NODES", "ALERTS", "READY", "ACTION", "AGE", "REASON", "MESSAGE");
    }

    @Test
    void serverSideApplyOfConfigDefaultAcceptsEveryObject() throws Exception {
        List<HasMetadata> expected = Kustomize.build("default");
        String out = kubectl("apply", "--server-side", "-k", "../config/default");
        List<String> missing = new ArrayList<>();
        for (HasMetadata item : expected) {
            String name = item.getMetadata().getName();
            if (!out.contains("/" + name + " serverside-applied")) {
                missing.add(item.getKind() + "/" + name);
            }
        }
        assertThat(missing)
                .as("objects kubectl did not report as applied:%n%s", out)
                .isEmpty();
        // a second apply changes nothing and conflicts with nothing (what Argo CD does on every sync)
        assertThat(kubectl("apply", "--server-side", "-k", "../config/default")).doesNotContain("conflict");
    }

    @Test
    void theServerAcceptsEveryObjectOfTheHelmChart() throws Exception {
        // as helm install does it: the chart's crds/ first, then the rendered templates into an existing namespace
        kubectl("apply", "-f", "../charts/beesting/crds/");
        kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/honeytokenpolicies.beesting.dev");
        kubectl("create", "namespace", "beesting-system");
        // a dry run creates no namespace, and the chart's own beesting-node-config holds its RBAC: as after helm
        // created it (helm installs namespaces first)
        kubectl("create", "namespace", "beesting-node-config");
        Path rendered = Files.writeString(
                scratch.resolve("chart.yaml"), HelmChartIT.renderYaml(Map.of("defaultPolicy.namespaces[0]", "cms")));
        String out = kubectl("apply", "--server-side", "--dry-run=server", "-f", rendered.toString());
        assertThat(out)
                .contains(
                        "daemonset.apps/beesting-agent serverside-applied (server dry run)",
                        "deployment.apps/beesting-operator serverside-applied (server dry run)",
                        "honeytokenpolicy.beesting.dev/beesting-default serverside-applied (server dry run)");
    }

    private String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command =
                new ArrayList<>(List.of(KubeApi.binary("kubectl").toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as("kubectl %s:%n%s", String.join(" ", args), out)
                .isZero();
        return out;
    }
}
