package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.TestPolicies;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Create, relabel, rotate and delete against a running operator: the node config follows within seconds. */
@Tag(KubeApi.TAG)
class PolicyLifecycleIT {
    private OperatorHarness cluster;

    @BeforeEach
    void start() {
        cluster = OperatorHarness.start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void namespaceRelabelMovesThePolicyInAndOut() {
        // v1 names the namespaces a selector matches; a node of an earlier release reads it
        cluster.node("old-agent", null);
        cluster.namespace("cms", Map.of("beesting.dev/protect", "true"));
        cluster.namespace("shop", Map.of());
        cluster.policy("""
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata: {name: protected}
                spec:
                  namespaceSelector: {matchLabels: {beesting.dev/protect: "true"}}
                  tokens: [{path: /root/.aws/credentials, content: {template: "{{awsAccessKeyId}}"}}]
                """);
        NodeConfig first = cluster.awaitConfigV1(c -> namespaces(c, "protected").equals(java.util.List.of("cms")));

        cluster.relabel("shop", Map.of("beesting.dev/protect", "true"));
        NodeConfig second =
                cluster.awaitConfigV1(c -> namespaces(c, "protected").equals(java.util.List.of("cms", "shop")));
        assertThat(second.generation()).isEqualTo(first.generation() + 1);
        cluster.awaitPolicy("protected", p -> p.getStatus() != null && p.getStatus().matchedNamespaces == 2);

        cluster.relabel("cms", Map.of());
        cluster.awaitConfigV1(c -> namespaces(c, "protected").equals(java.util.List.of("shop")));
        cluster.namespace("new-team", Map.of("beesting.dev/protect", "true"));
        cluster.awaitConfigV1(c -> namespaces(c, "protected").equals(java.util.List.of("new-team", "shop")));
        cluster.awaitPolicy("protected", p -> p.getStatus().matchedNamespaces == 2);
        // v2 carries the selector itself, under the same generation
        NodeConfig v2 = cluster.nodeConfig().orElseThrow();
        assertThat(v2.policies().getFirst().namespaceSelector().matchLabels)
                .containsEntry("beesting.dev/protect", "true");
        assertThat(v2.generation())
                .isEqualTo(cluster.nodeConfigV1().orElseThrow().generation());
    }

    @Test
    void secretRotationUpdatesTheConfig() {
        cluster.namespace("cms", Map.of());
        cluster.secret("canary-kubeconfig", Map.of("config", "token: first"));
        cluster.policy(TestPolicies.KUBECONFIG_POLICY);
        NodeConfig first = cluster.awaitConfig(c -> "token: first".equals(value(c, "fake-kubeconfig")));

        cluster.rotate("canary-kubeconfig", Map.of("config", "token: second"));
        NodeConfig second = cluster.awaitConfig(c -> "token: second".equals(value(c, "fake-kubeconfig")));
        assertThat(second.generation()).isEqualTo(first.generation() + 1);
    }

    @Test
    void deletionRemovesThePolicyFromTheConfig() {
        cluster.namespace("cms", Map.of());
        cluster.secret("canary-kubeconfig", Map.of("config", "token: first"));
        cluster.policy(TestPolicies.KUBECONFIG_POLICY);
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfig both = cluster.awaitConfig(c -> c.policies().size() == 2);

        cluster.client()
                .resources(dev.beesting.api.v1alpha1.HoneytokenPolicy.class)
                .withName("fake-kubeconfig")
                .delete();
        NodeConfig one = cluster.awaitConfig(c -> c.policies().size() == 1);
        assertThat(one.policies()).extracting(CompiledPolicy::name).containsExactly("fake-aws");
        assertThat(one.generation()).isEqualTo(both.generation() + 1);

        cluster.client()
                .resources(dev.beesting.api.v1alpha1.HoneytokenPolicy.class)
                .withName("fake-aws")
                .delete();
        NodeConfig none = cluster.awaitConfig(c -> c.policies().isEmpty());
        assertThat(none.generation()).isEqualTo(one.generation() + 1);
    }

    @Test
    void namespacesAndUnrelatedChangesKeepTheGeneration() {
        cluster.namespace("cms", Map.of());
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfig first = cluster.awaitConfig(c -> c.policies().size() == 1);
        cluster.awaitPolicy("fake-aws", p -> p.getStatus() != null);

        // a label, a Secret no policy references and a new namespace: all reconcile, none changes what nodes get
        // (format v2 carries the namespace selector, which the nodes match themselves)
        cluster.relabel("cms", Map.of("team", "web"));
        cluster.secret("unrelated", Map.of("k", "v"));
        cluster.namespace("late", Map.of());
        cluster.awaitPolicy(
                "fake-aws", p -> p.getStatus().matchedNamespaces != null && p.getStatus().matchedNamespaces >= 2);
        assertThat(cluster.nodeConfig().orElseThrow().generation()).isEqualTo(first.generation());
        assertThat(cluster.nodeConfigV1()).as("no node reads v1").isEmpty();
    }

    @Test
    void formatV1IsStoredBesideV2WhileANodeReadsOnlyV1() {
        cluster.namespace("cms", Map.of());
        cluster.node("old-agent", null);
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfig v1 = await().atMost(OperatorHarness.PATIENCE)
                .until(
                        () -> cluster.nodeConfigV1().orElse(null),
                        c -> c != null && c.policies().size() == 1);
        assertThat(v1.apiVersion()).isEqualTo(NodeConfig.API_VERSION);
        assertThat(v1.policies().getFirst().namespaces()).contains("cms");
        assertThat(cluster.nodeConfig().orElseThrow().bySelector()).isTrue();

        // v1 names namespaces, so a new one is a new generation for the node that reads it
        cluster.namespace("late", Map.of());
        NodeConfig later = await().atMost(OperatorHarness.PATIENCE)
                .until(
                        () -> cluster.nodeConfigV1().orElse(null),
                        c -> c != null && c.policies().getFirst().namespaces().contains("late"));
        assertThat(later.generation()).isEqualTo(v1.generation() + 1);
        assertThat(cluster.nodeConfig().orElseThrow().generation()).isEqualTo(later.generation());

        // once that node's agent reads v2 (upgraded), v1 goes
        cluster.node("old-agent", NodeConfig.FORMAT_V2);
        await().atMost(OperatorHarness.PATIENCE)
                .until(() -> cluster.nodeConfigV1().isEmpty());
        assertThat(cluster.nodeConfig().orElseThrow().policies()).hasSize(1);
    }

    private static String value(NodeConfig config, String policy) {
        return config.policies().stream()
                .filter(p -> p.name().equals(policy))
                .findFirst()
                .map(p -> p.tokens().getFirst().value())
                .orElse(null);
    }

    private static java.util.List<String> namespaces(NodeConfig config, String policy) {
        return config.policies().stream()
                .filter(p -> p.name().equals(policy))
                .findFirst()
                .map(CompiledPolicy::namespaces)
                .orElse(java.util.List.of());
    }
}
