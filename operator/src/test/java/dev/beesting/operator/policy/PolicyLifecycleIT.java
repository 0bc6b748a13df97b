package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.operator.testing.OperatorHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Create, relabel, rotate and delete against a running operator: the node config follows within seconds. */
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

    private static java.util.List<String> namespaces(NodeConfig config, String policy) {
        return config.policies().stream()
                .filter(p -> p.name().equals(policy))
                .findFirst()
                .map(CompiledPolicy::namespaces)
                .orElse(java.util.List.of());
    }
}
