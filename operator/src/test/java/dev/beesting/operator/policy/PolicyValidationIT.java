package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Policies that cannot work say so on their status and with an Event, and never disturb the valid ones. */
@Tag(KubeApi.TAG)
class PolicyValidationIT {
    private OperatorHarness cluster;

    @BeforeEach
    void start() {
        cluster = OperatorHarness.start();
        cluster.namespace("cms", Map.of());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void invalidPolicyGetsTheConditionAndAnEventAndValidOnesStayCompiled() {
        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.secret("canary-kubeconfig", Map.of("other", "x"));
        cluster.policy("""
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata: {name: broken}
                spec:
                  tokens:
                    - path: /etc/app/token
                      content: {value: fine}
                    - path: /root/.kube/config
                      content: {secretKeyRef: {name: canary-kubeconfig, key: config}}
                """);
        // the mock server does not evaluate the CRD's CEL rules, so the operator's own check is what rejects this;
        // a real API server refuses it at the door (RealApiServerCorpusIT covers that)
        boolean schemaChecked = cluster.api().isReal();
        if (!schemaChecked) {
            cluster.policy("""
                    apiVersion: beesting.dev/v1alpha1
                    kind: HoneytokenPolicy
                    metadata: {name: relative}
                    spec:
                      tokens: [{path: etc/app/token, content: {value: x}}]
                    """);
        }
        Condition broken = accepted(cluster.awaitPolicy("broken", p -> accepted(p) != null));
        assertThat(broken.getStatus()).isEqualTo("False");
        assertThat(broken.getReason()).isEqualTo(PolicyConditions.SECRET_REFERENCE_UNRESOLVED);
        assertThat(broken.getMessage())
                .isEqualTo("spec.tokens[1].content.secretKeyRef: key \"config\" of Secret"
                        + " beesting-system/canary-kubeconfig is not available as token content (the Secret must exist,"
                        + " hold the key and carry the label beesting.dev/token-source=true)");
        if (!schemaChecked) {
            Condition relative = accepted(cluster.awaitPolicy("relative", p -> accepted(p) != null));
            assertThat(relative.getReason()).isEqualTo(PolicyConditions.INVALID_SPEC);
            assertThat(relative.getMessage()).contains("spec.tokens[0].path: must be an absolute path");
        }

        assertThat(cluster.awaitConfig(c -> !c.policies().isEmpty()).policies())
                .extracting(CompiledPolicy::name)
                .containsExactly("fake-aws");
        Condition valid = accepted(cluster.awaitPolicy("fake-aws", p -> accepted(p) != null));
        assertThat(valid.getStatus()).isEqualTo("True");

        List<Event> events =
                await().atMost(OperatorHarness.PATIENCE).until(() -> warnings("broken"), list -> !list.isEmpty());
        assertThat(events.getFirst().getReason()).isEqualTo(PolicyConditions.SECRET_REFERENCE_UNRESOLVED);
        assertThat(events.getFirst().getMessage()).contains("is not available as token content");
        if (!schemaChecked) {
            await().atMost(OperatorHarness.PATIENCE)
                    .until(() -> !warnings("relative").isEmpty());
        }
    }

    @Test
    void aSecretWithoutTheTokenSourceLabelIsRefusedLikeAMissingOne() {
        // any Secret of the operator namespace (the operator's own, a webhook credential) must not be copyable into
        // pods
        cluster.secret("webhook-credentials", Map.of("config", "s3cr3t"), Map.of());
        cluster.policy(TestPolicies.KUBECONFIG_POLICY.replace("canary-kubeconfig", "webhook-credentials"));
        Condition unlabelled = accepted(cluster.awaitPolicy("fake-kubeconfig", p -> accepted(p) != null));
        assertThat(unlabelled.getReason()).isEqualTo(PolicyConditions.SECRET_REFERENCE_UNRESOLVED);
        assertThat(unlabelled.getMessage())
                .isEqualTo("spec.tokens[0].content.secretKeyRef: key \"config\" of Secret"
                        + " beesting-system/webhook-credentials is not available as token content (the Secret must"
                        + " exist, hold the key and carry the label beesting.dev/token-source=true)");

        // labelling it is the administrator's explicit opt-in
        cluster.secret("webhook-credentials", Map.of("config", "s3cr3t"));
        cluster.awaitPolicy("fake-kubeconfig", p -> "True".equals(accepted(p).getStatus()));
    }

    @Test
    void addingTheMissingSecretKeyAcceptsThePolicy() {
        cluster.policy(TestPolicies.KUBECONFIG_POLICY);
        Condition missing = accepted(cluster.awaitPolicy("fake-kubeconfig", p -> accepted(p) != null));
        assertThat(missing.getMessage())
                .isEqualTo("spec.tokens[0].content.secretKeyRef: key \"config\" of Secret"
                        + " beesting-system/canary-kubeconfig is not available as token content (the Secret must exist,"
                        + " hold the key and carry the label beesting.dev/token-source=true)");

        cluster.secret("canary-kubeconfig", Map.of("config", "kind: Config"));
        cluster.awaitPolicy("fake-kubeconfig", p -> "True".equals(accepted(p).getStatus()));
        cluster.awaitConfig(c -> c.policies().size() == 1
                && "kind: Config"
                        .equals(c.policies().getFirst().tokens().getFirst().value()));
    }

    @Test
    void policyThatWouldOverflowTheSecretIsRejectedAndTheOthersStay() {
        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.awaitConfig(c -> c.policies().size() == 1);
        StringBuilder tokens = new StringBuilder();
        String big = "x".repeat(60_000);
        for (int i = 0; i < 20; i++) {
            tokens.append("    - {path: /bait/")
                    .append(i)
                    .append(", content: {value: ")
                    .append(big)
                    .append("}}\n");
        }
        cluster.policy("""
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata: {name: huge}
                spec:
                  tokens:
                """ + tokens);

        Condition huge = accepted(cluster.awaitPolicy("huge", p -> accepted(p) != null));
        assertThat(huge.getReason()).isEqualTo(PolicyConditions.CONFIG_TOO_LARGE);
        assertThat(huge.getMessage()).contains("over the limit of 1048576 bytes");
        assertThat(cluster.nodeConfig().orElseThrow().policies())
                .extracting(CompiledPolicy::name)
                .containsExactly("fake-aws");
        await().atMost(OperatorHarness.PATIENCE).until(() -> !warnings("huge").isEmpty());
    }

    private List<Event> warnings(String policy) {
        return cluster.client().v1().events().inAnyNamespace().list().getItems().stream()
                .filter(e -> policy.equals(e.getInvolvedObject().getName()) && "Warning".equals(e.getType()))
                .toList();
    }

    static Condition accepted(HoneytokenPolicy policy) {
        if (policy.getStatus() == null) {
            return null;
        }
        return policy.getStatus().conditions.stream()
                .filter(c -> PolicyConditions.ACCEPTED.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
