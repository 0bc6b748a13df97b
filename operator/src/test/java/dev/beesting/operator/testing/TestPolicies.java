package dev.beesting.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Small valid policies the integration tests share. */
public final class TestPolicies {
    private TestPolicies() {}

    /** A one-token literal policy named {@code name}, planting {@code /etc/<name>}. */
    public static HoneytokenPolicy literal(String name) {
        return Serialization.unmarshal("""
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata: {name: %s}
                spec:
                  tokens: [{path: /etc/%s, content: {value: bait}}]
                """.formatted(name, name), HoneytokenPolicy.class);
    }

    /** Waits until the node config Secret of {@code namespace} carries the policy {@code name}. */
    public static void awaitConfigHolding(KubernetesClient client, String namespace, String name) {
        awaitConfigHolding(client, namespace, name, OperatorHarness.PATIENCE);
    }

    /** Like {@link #awaitConfigHolding(KubernetesClient, String, String)}, waiting at most {@code patience}. */
    public static void awaitConfigHolding(
            KubernetesClient client, String namespace, String name, java.time.Duration patience) {
        await().atMost(patience)
                .until(() -> StoredNodeConfig.read(client, namespace)
                        .map(c -> c.policies().stream().anyMatch(p -> p.name().equals(name)))
                        .orElse(false));
    }

    public static final String AWS_POLICY = """
            apiVersion: beesting.dev/v1alpha1
            kind: HoneytokenPolicy
            metadata: {name: fake-aws}
            spec:
              tokens: [{path: /root/.aws/credentials, content: {template: "{{awsAccessKeyId}}"}}]
            """;

    public static final String KUBECONFIG_POLICY = """
            apiVersion: beesting.dev/v1alpha1
            kind: HoneytokenPolicy
            metadata: {name: fake-kubeconfig}
            spec:
              tokens:
                - path: /root/.kube/config
                  mode: "0400"
                  content: {secretKeyRef: {name: canary-kubeconfig, key: config}}
            """;
}
