package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

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
        NodeConfig first = cluster.awaitConfig(c -> namespaces(c, "protected").equals(java.util.List.of("cms")));

        cluster.relabel("shop", Map.of("beesting.dev/protect", "true"));
        NodeConfig second =
                cluster.awaitConfig(c -> namespaces(c, "protected").equals(java.util.List.of("cms", "shop")));
        assertThat(second.generation()).isEqualTo(first.generation() + 1);
        cluster.awaitPolicy("protected", p -> p.getStatus() != null && p.getStatus().matchedNamespaces == 2);

        cluster.relabel("cms", Map.of());
        cluster.awaitConfig(c -> namespaces(c, "protected").equals(java.util.List.of("shop")));
        cluster.namespace("new-team", Map.of("beesting.dev/protect", "true"));
        cluster.awaitConfig(c -> namespaces(c, "protected").equals(java.util.List.of("new-team", "shop")));
        cluster.awaitPolicy("protected", p -> p.getStatus().matchedNamespaces == 2);
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
    void unrelatedChangesKeepTheGeneration() {
        cluster.namespace("cms", Map.of());
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfig first = cluster.awaitConfig(c -> c.policies().size() == 1);
        cluster.awaitPolicy("fake-aws", p -> p.getStatus() != null);

        // a label no selector looks at, and a Secret no policy references: both reconcile, neither changes content
        cluster.relabel("cms", Map.of("team", "web"));
        cluster.secret("unrelated", Map.of("k", "v"));
        cluster.namespace("late", Map.of());
        NodeConfig later =
                cluster.awaitConfig(c -> c.policies().getFirst().namespaces().contains("late"));
        assertThat(later.generation()).isEqualTo(first.generation() + 1);
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
