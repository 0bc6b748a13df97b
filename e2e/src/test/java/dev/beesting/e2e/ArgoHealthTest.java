package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The Argo CD health scripts on objects with missing fields, as Argo CD may meet them; the e2e run feeds real ones. */
class ArgoHealthTest {
    @Test
    void alertWithoutPodOrProcessIsStillDegradedWithAMessage() {
        assertThat(ArgoHealth.of("HoneytokenAlert", json("{\"metadata\": {\"name\": \"a\"}}")))
                .isEqualTo(new ArgoHealth.Status("Degraded", "honeytoken ? opened by ? in ? (0x)"));
        assertThat(ArgoHealth.of("HoneytokenAlert", json("""
                        {"spec": {"path": "/root/.aws/credentials", "pod": {}}, "status": {"count": 3}}""")))
                .isEqualTo(
                        new ArgoHealth.Status("Degraded", "honeytoken /root/.aws/credentials opened by ? in ? (3x)"));
    }

    @Test
    void policyWaitsForTheOperatorThenFollowsItsConditions() {
        assertThat(ArgoHealth.of("HoneytokenPolicy", json("{\"metadata\": {\"generation\": 1}}"))
                        .status())
                .isEqualTo("Progressing");
        assertThat(ArgoHealth.of("HoneytokenPolicy", json("""
                        {"metadata": {"generation": 2}, "status": {"observedGeneration": 2, "conditions": [
                          {"type": "Accepted", "status": "False", "reason": "InvalidSpec"}]}}""")))
                .isEqualTo(new ArgoHealth.Status("Degraded", "InvalidSpec"));
        assertThat(ArgoHealth.of("HoneytokenPolicy", json("""
                        {"metadata": {"generation": 2}, "status": {"observedGeneration": 2, "alerts": 0, "conditions": [
                          {"type": "Accepted", "status": "True"}, {"type": "Ready", "status": "True", "message": "3/3"}]}}"""))).isEqualTo(new ArgoHealth.Status("Healthy", "3/3"));
    }

    @Test
    void policyThatCaughtAnAccessIsDegradedNamingIt() {
        assertThat(ArgoHealth.of("HoneytokenPolicy", json("""
                        {"metadata": {}, "status": {"alerts": 2, "lastAlert": {"namespace": "cms", "pod": "cms-1"},
                          "conditions": [{"type": "Ready", "status": "True"}]}}""")))
                .isEqualTo(new ArgoHealth.Status(
                        "Degraded", "honeytoken ? opened by ? in cms/cms-1 (2 alerts, last at ?)"));
    }

    private static JsonNode json(String text) {
        try {
            return Serialization.jsonMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
