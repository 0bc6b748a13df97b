package dev.beesting.operator.testing;

/** Small valid policies the integration tests share. */
public final class TestPolicies {
    private TestPolicies() {}

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
