package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code charts/beesting} is linted by Helm's own code and, with the same settings, renders exactly the objects of
 * {@code kubectl kustomize config/default} (less the labels Helm adds), so the two ways to install cannot drift.
 */
class HelmChartIT {
    static final Path CHART = Path.of("../charts/beesting");
    private static final List<String> HELM_LABELS = List.of("app.kubernetes.io/managed-by", "helm.sh/chart");

    @Test
    void chartPassesHelmLint() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint: %s", lint.getMessages()).isFalse();
    }

    @Test
    void chartWithNamespaceCreatedRendersWhatKustomizeBuilds() throws Exception {
        Map<String, JsonNode> chart = byIdentity(render(Map.of("namespace.create", true)));
        // helm template leaves the chart's crds/ out (helm install applies them first); compared below
        Map<String, JsonNode> kustomize = byIdentity(Kustomize.build("default").stream()
                .filter(o -> !"CustomResourceDefinition".equals(o.getKind()))
                .toList());
        assertThat(chart.keySet()).containsExactlyElementsOf(kustomize.keySet());
        for (String id : kustomize.keySet()) {
            assertThat(chart.get(id)).as(id).isEqualTo(kustomize.get(id));
        }
    }

    @Test
    void chartWithMonitoringAddsWhatKustomizeBuildsFromConfigMonitoring() throws Exception {
        Map<String, JsonNode> chart = byIdentity(render(Map.of("namespace.create", true, "monitoring.enabled", true)));
        Map<String, JsonNode> kustomize = byIdentity(Kustomize.build("default").stream()
                .filter(o -> !"CustomResourceDefinition".equals(o.getKind()))
                .toList());
        Map<String, JsonNode> monitoring = byIdentity(Kustomize.build("monitoring"));
        assertThat(monitoring.keySet())
                .contains(
                        "ServiceMonitor/beesting-system/beesting-agent",
                        "ServiceMonitor/beesting-system/beesting-operator",
                        "PrometheusRule/beesting-system/beesting",
                        "ConfigMap/beesting-system/beesting-dashboard");
        kustomize.putAll(monitoring);
        assertThat(chart.keySet()).containsExactlyElementsOf(kustomize.keySet());
        for (String id : kustomize.keySet()) {
            assertThat(chart.get(id)).as(id).isEqualTo(kustomize.get(id));
        }
    }

    @Test
    void monitoringIsOffByDefaultAndItsLabelsReachWhatPrometheusSelects() throws Exception {
        assertThat(byIdentity(render(Map.of())).keySet())
                .noneMatch(id -> id.contains("Monitor/")
                        || id.startsWith("PrometheusRule/")
                        || id.equals("ConfigMap/beesting-system/beesting-dashboard"));
        Map<String, JsonNode> chart =
                byIdentity(render(Map.of("monitoring.enabled", true, "monitoring.labels.release", "prom")));
        for (String id : List.of(
                "ServiceMonitor/beesting-system/beesting-agent",
                "ServiceMonitor/beesting-system/beesting-operator",
                "PrometheusRule/beesting-system/beesting")) {
            assertThat(chart.get(id).at("/metadata/labels/release").asText())
                    .as(id)
                    .isEqualTo("prom");
        }
        assertThat(chart.get("Service/beesting-system/beesting-agent")
                        .at("/metadata/labels/release")
                        .isMissingNode())
                .isTrue();
    }

    @Test
    void chartInstallsTheGeneratedCrds() throws Exception {
        Path generated = Path.of("../crds");
        try (var files = Files.list(CHART.resolve("crds"))) {
            List<Path> crds = files.sorted().toList();
            assertThat(crds)
                    .extracting(p -> p.getFileName().toString())
                    .containsExactly(
                            "honeytokenalerts.beesting.dev-v1.yml",
                            "honeytokennodes.beesting.dev-v1.yml",
                            "honeytokenpolicies.beesting.dev-v1.yml");
            for (Path crd : crds) {
                assertThat(Files.readString(crd)).isEqualTo(Files.readString(generated.resolve(crd.getFileName())));
            }
        }
    }

    @Test
    void valuesReachTheObjects() throws Exception {
        Map<String, JsonNode> chart = byIdentity(render(Map.of(
                "images.agent.repository", "registry.example/sec/beesting-agent",
                "images.agent.digest", "sha256:" + "0".repeat(64),
                "images.operator.tag", "0.2.0",
                "operator.replicas", 3,
                "agent.tier", "fanotify",
                "agent.alertWritesPerSecond", 20,
                "agent.alertWriteBurst", 200,
                "logFormat", "json",
                "defaultPolicy.namespaces[0]", "cms")));
        JsonNode agent = chart.get("DaemonSet/beesting-system/beesting-agent").at("/spec/template/spec/containers/0");
        assertThat(agent.path("image").asText())
                .isEqualTo("registry.example/sec/beesting-agent@sha256:" + "0".repeat(64));
        assertThat(agent.path("args").toString())
                .contains("--tier=fanotify")
                .contains("--log-format=json")
                .contains("--alert-writes-per-second=20")
                .contains("--alert-write-burst=200");
        JsonNode operator = chart.get("Deployment/beesting-system/beesting-operator");
        assertThat(operator.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(operator.at("/spec/template/spec/containers/0/args").toString())
                .contains("--log-format=json");
        assertThat(operator.at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("localhost/beesting/operator:0.2.0");
        assertThat(chart.get("HoneytokenPolicy//beesting-default")
                        .at("/spec/namespaceSelector")
                        .toString())
                .contains("cms");
    }

    @Test
    void theWebhookFormatAndItsHeadersFromASecretReachTheAgent() throws Exception {
        Map<String, JsonNode> chart = byIdentity(render(Map.of(
                "agent.webhook", "https://falcosidekick.falco:2801/",
                "agent.webhookFormat", "falcosidekick",
                "agent.webhookHeadersSecret", "webhook-auth")));
        JsonNode pod = chart.get("DaemonSet/beesting-system/beesting-agent").at("/spec/template/spec");
        assertThat(pod.at("/containers/0/args").toString())
                .contains("--webhook=https://falcosidekick.falco:2801/")
                .contains("--webhook-format=falcosidekick")
                .contains("--webhook-headers-file=/etc/beesting/webhook/headers");
        assertThat(pod.at("/containers/0/volumeMounts").toString()).contains("/etc/beesting/webhook");
        assertThat(pod.at("/volumes").toString()).contains("\"secretName\":\"webhook-auth\"");
    }

    @Test
    void theDecoysWebhookIsOffByDefaultAndItsValuesReachTheDecoy() throws Exception {
        JsonNode off = byIdentity(render(Map.of()))
                .get("Deployment/beesting-system/beesting-decoy")
                .at("/spec/template/spec");
        assertThat(off.at("/containers/0/args").toString()).doesNotContain("--webhook");
        Map<String, JsonNode> chart = byIdentity(render(Map.of(
                "decoy.webhook", "http://falcosidekick.falco:2801/",
                "decoy.webhookAllowHttp", true,
                "decoy.webhookFormat", "falcosidekick",
                "decoy.webhookHeadersSecret", "webhook-auth")));
        JsonNode pod = chart.get("Deployment/beesting-system/beesting-decoy").at("/spec/template/spec");
        assertThat(pod.at("/containers/0/args").toString())
                .contains("\"decoy\",\"--webhook=http://falcosidekick.falco:2801/\"")
                .contains("--webhook-allow-http")
                .contains("--webhook-format=falcosidekick")
                .contains("--webhook-headers-file=/etc/beesting/webhook/headers");
        assertThat(pod.at("/containers/0/volumeMounts").toString()).contains("/etc/beesting/webhook");
        assertThat(pod.at("/volumes").toString()).contains("\"secretName\":\"webhook-auth\"");
    }

    static String renderYaml(Map<String, Object> values) {
        var template = new Helm(CHART)
                .template()
                .withName("beesting")
                .withNamespace("beesting-system")
                .withKubeVersion("1.34.2");
        values.forEach(template::set);
        return template.call();
    }

    private static List<HasMetadata> render(Map<String, Object> values) {
        Object parsed = Serialization.unmarshal(renderYaml(values));
        return parsed instanceof List<?> list
                ? list.stream().map(HasMetadata.class::cast).toList()
                : List.of((HasMetadata) parsed);
    }

    /** Kind/namespace/name to the object as JSON, without the labels only Helm adds. */
    private static Map<String, JsonNode> byIdentity(List<HasMetadata> objects) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (HasMetadata object : objects) {
            ObjectNode json = Serialization.jsonMapper().valueToTree(object);
            JsonNode labels = json.at("/metadata/labels");
            if (labels instanceof ObjectNode labelNode) {
                HELM_LABELS.forEach(labelNode::remove);
                if (labelNode.isEmpty()) {
                    ((ObjectNode) json.get("metadata")).remove("labels");
                }
            }
            String namespace = object.getMetadata().getNamespace() == null
                    ? ""
                    : object.getMetadata().getNamespace();
            byId.put(
                    object.getKind() + "/" + namespace + "/"
                            + object.getMetadata().getName(),
                    json);
        }
        return byId;
    }
}
