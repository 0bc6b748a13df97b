package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.nodeconfig.DecoySettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {
    private static final Workload CONTEXT =
            new Workload("worker-1", "cms", "cms-7f9c", "uid-1", Map.of(), "web", "", "");
    private static final Instant NOW = Instant.parse("2026-11-30T17:00:00Z");
    private static final DecoySettings DECOY = new DecoySettings(
            "https://beesting-decoy.beesting-system.svc",
            "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n",
            "prod-eu",
            DecoySettings.Key.of(DecoyKey.generate("k1", new SecureRandom())),
            null);
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final TemplateRenderer decoyRenderer =
            new TemplateRenderer(new SecureRandom(), Clock.fixed(NOW, ZoneOffset.UTC), () -> Optional.of(DECOY));

    @Test
    void awsKeysHaveTheShapeOfRealOnes() throws TemplateException {
        TemplateRenderer.Rendering rendering = renderer.forContainer(CONTEXT);
        assertThat(rendering.render("{{awsAccessKeyId}}")).matches("AKIA[A-Z2-7]{16}");
        assertThat(rendering.render("{{ awsSecretAccessKey }}")).matches("[A-Za-z0-9/+]{40}");
    }

    @Test
    void oneContainerSeesOneKeyAcrossItsTokensAndAnotherContainerAnother() throws TemplateException {
        TemplateRenderer.Rendering first = renderer.forContainer(CONTEXT);
        TemplateRenderer.Rendering second = renderer.forContainer(CONTEXT);
        String key = first.render("{{awsAccessKeyId}}");
        assertThat(first.render("id = {{awsAccessKeyId}}")).isEqualTo("id = " + key);
        assertThat(second.render("{{awsAccessKeyId}}")).isNotEqualTo(key);
    }

    @Test
    void githubTokenUuidAndRandomStringsFollowTheirFormats() throws TemplateException {
        TemplateRenderer.Rendering rendering = renderer.forContainer(CONTEXT);
        assertThat(rendering.render("{{githubToken}}")).matches("ghp_[A-Za-z0-9]{36}");
        assertThat(rendering.render("{{uuid}}"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(rendering.render("{{hex 32}}")).matches("[0-9a-f]{32}");
        assertThat(rendering.render("{{alnum 7}}")).matches("[A-Za-z0-9]{7}");
        assertThat(rendering.render("{{hex 8}}")).isNotEqualTo(rendering.render("{{hex 8}}"));
    }

    @Test
    void jwtIsAServiceAccountTokenOfThePod() throws TemplateException {
        String jwt = renderer.forContainer(CONTEXT).render("{{jwt}}");
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(payload).contains("\"sub\":\"system:serviceaccount:cms:default\"", "\"name\":\"cms-7f9c\"");
    }

    @Test
    void serviceAccountTokenSealsTheContainerAndTokenPathItWasPlantedFor() throws TemplateException {
        String token = decoyRenderer.forContainer(CONTEXT).render("{{serviceAccountToken}}", target("/etc/sa/token"));
        DecoyCredential.Result read = DecoyCredential.decode(token, DECOY.keys());
        assertThat(read)
                .isEqualTo(new DecoyCredential.Valid(
                        new DecoyOrigin(
                                "prod-eu",
                                "worker-1",
                                "cms",
                                "cms-7f9c",
                                "uid-1",
                                "web",
                                "/etc/sa/token",
                                "decoys",
                                "critical",
                                NOW),
                        "k1"));
        assertThat(token).doesNotContain("cms-7f9c", "worker-1", "/etc/sa");
    }

    @Test
    void kubeconfigIsACompleteConfigForTheDecoyWithTheTokenOfItsFile() throws Exception {
        TemplateRenderer.Rendering rendering = decoyRenderer.forContainer(CONTEXT);
        String kubeconfig = rendering.render("{{kubeconfig}}", target("/root/.kube/config"));
        JsonNode config = new YAMLMapper().readTree(kubeconfig);
        assertThat(config.path("kind").asText()).isEqualTo("Config");
        JsonNode cluster = config.path("clusters").get(0).path("cluster");
        assertThat(cluster.path("server").asText()).isEqualTo("https://beesting-decoy.beesting-system.svc");
        assertThat(new String(Base64.getDecoder()
                        .decode(cluster.path("certificate-authority-data").asText())))
                .isEqualTo(DECOY.caCertificate());
        assertThat(config.path("current-context").asText()).isEqualTo("kubernetes-admin@prod-eu");
        String token = config.path("users").get(0).path("user").path("token").asText();
        assertThat(rendering.render("{{serviceAccountToken}}", target("/root/.kube/config")))
                .isEqualTo(token);
        assertThat(DecoyCredential.decode(token, DECOY.keys()))
                .isInstanceOfSatisfying(
                        DecoyCredential.Valid.class,
                        valid -> assertThat(valid.origin().path()).isEqualTo("/root/.kube/config"));
    }

    @Test
    void eachTokenFileOfAContainerCarriesItsOwnDecoyToken() throws TemplateException {
        TemplateRenderer.Rendering rendering = decoyRenderer.forContainer(CONTEXT);
        assertThat(rendering.render("{{serviceAccountToken}}", target("/a")))
                .isEqualTo(rendering.render("{{serviceAccountToken}}", target("/a")))
                .isNotEqualTo(rendering.render("{{serviceAccountToken}}", target("/b")));
    }

    @Test
    void aDecoyServerTheTokenNamesReplacesTheInClusterOneWithoutItsCa() throws Exception {
        String kubeconfig = decoyRenderer
                .forContainer(CONTEXT)
                .render(
                        "{{kubeconfig}}",
                        new TemplateRenderer.Target("/root/.kube/config", "p", "high", "https://k8s.example.com:6443"));
        JsonNode cluster =
                new YAMLMapper().readTree(kubeconfig).path("clusters").get(0).path("cluster");
        assertThat(cluster.path("server").asText()).isEqualTo("https://k8s.example.com:6443");
        assertThat(cluster.path("insecure-skip-tls-verify").asBoolean()).isTrue();
        assertThat(cluster.has("certificate-authority-data")).isFalse();
    }

    @Test
    void withoutDecoySettingsDecoyPlaceholdersAreErrorsNamingThem() {
        TemplateRenderer.Rendering rendering = renderer.forContainer(CONTEXT);
        assertThatThrownBy(() -> rendering.render("{{kubeconfig}}", target("/root/.kube/config")))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("{{kubeconfig}} needs the decoy settings of the node config");
        assertThatThrownBy(() -> rendering.render("x: {{ serviceAccountToken }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageStartingWith("{{serviceAccountToken}} needs the decoy settings");
    }

    @Test
    void podAndContainerFactsAreUsableAsValues() throws TemplateException {
        assertThat(renderer.forContainer(CONTEXT)
                        .render("{{pod.namespace}}/{{pod.name}} {{container.name}} {{pod.uid}} {{node.name}}"))
                .isEqualTo("cms/cms-7f9c web uid-1 worker-1");
    }

    @Test
    void unknownOrMalformedPlaceholdersAreErrorsNamingThem() {
        TemplateRenderer.Rendering rendering = renderer.forContainer(CONTEXT);
        assertThatThrownBy(() -> rendering.render("x {{awsKey}}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown placeholder {{awsKey}} at offset 2");
        assertThatThrownBy(() -> rendering.render("{{hex}}")).hasMessageContaining("needs a length");
        assertThatThrownBy(() -> rendering.render("{{hex 0}}")).hasMessageContaining("between 1 and 4096");
        assertThatThrownBy(() -> rendering.render("{{ uuid")).hasMessageContaining("malformed placeholder");
    }

    @Test
    void textWithoutPlaceholdersIsKept() throws TemplateException {
        assertThat(renderer.forContainer(CONTEXT).render("plain\ntext }} {")).isEqualTo("plain\ntext }} {");
    }

    private static TemplateRenderer.Target target(String path) {
        return new TemplateRenderer.Target(path, "decoys", "critical", null);
    }
}
