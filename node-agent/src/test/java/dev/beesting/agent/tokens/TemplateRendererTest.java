package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.agent.model.Workload;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {
    private static final Workload CONTEXT =
            new Workload("worker-1", "cms", "cms-7f9c", "uid-1", Map.of(), "web", "", "");
    private final TemplateRenderer renderer = new TemplateRenderer();

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
    void kubeconfigPointsAtAFakeServerWithTheContainersJwt() throws TemplateException {
        TemplateRenderer.Rendering rendering = renderer.forContainer(CONTEXT);
        String kubeconfig = rendering.render("{{kubeconfig}}");
        assertThat(kubeconfig).contains("kind: Config", "server: https://10.", "token: " + rendering.render("{{jwt}}"));
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
}
