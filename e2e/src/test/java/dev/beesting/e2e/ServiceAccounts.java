package dev.beesting.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * On a real API server, the components authenticate as the ServiceAccounts of {@code config/default}, with exactly its
 * RBAC, so the server itself enforces every verb (the mock grants everything).
 */
public final class ServiceAccounts {
    public static final String NAMESPACE = "beesting-system";
    public static final String OPERATOR = "beesting-operator";
    static final String AGENT = "beesting-agent";
    private static final String POLICY_NAMESPACE = "beesting-node-config";
    private static final Set<String> RBAC_KINDS = Set.of(
            // the namespace of the per-policy objects (node config v4) holds Roles of its own
            "Namespace",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "ValidatingAdmissionPolicy",
            "ValidatingAdmissionPolicyBinding");

    private ServiceAccounts() {}

    /**
     * Creates (or updates) the namespaces, ServiceAccounts, roles, bindings and admission policies that
     * {@code config/default} installs (the admission policies take effect a moment later).
     */
    public static void installRbac(KubernetesClient admin) {
        installRbac(admin, true);
    }

    /**
     * Like {@link #installRbac(KubernetesClient)}; without {@code policyObjects} it leaves out the namespace of node
     * config v4's per-policy Secrets and its roles, as an installation of an earlier release has it (format v2 only).
     */
    public static void installRbac(KubernetesClient admin, boolean policyObjects) {
        List<HasMetadata> deployment;
        try {
            deployment = Kustomize.build("default");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        deployment.stream()
                .filter(item -> RBAC_KINDS.contains(item.getKind()))
                .filter(item -> policyObjects
                        || !(POLICY_NAMESPACE.equals(item.getMetadata().getName())
                                || POLICY_NAMESPACE.equals(item.getMetadata().getNamespace())))
                .forEach(item -> admin.resource(item).createOr(existing -> existing.update()));
    }

    /** A token of the ServiceAccount, from the TokenRequest API. */
    public static String token(KubernetesClient admin, String name) {
        TokenRequest request = admin.serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName(name)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .endSpec()
                        .build());
        return request.getStatus().getToken();
    }

    /**
     * A token of the agent's ServiceAccount bound to a pod of the DaemonSet on {@code node}, as the kubelet mounts it:
     * the API server then names that node in the request's user info, which the alert admission policy checks.
     */
    public static String nodeBoundToken(KubernetesClient admin, String node) {
        Pod pod = admin.resource(new PodBuilder()
                        .withNewMetadata()
                        .withName(AGENT + "-" + node)
                        .withNamespace(NAMESPACE)
                        .endMetadata()
                        .withNewSpec()
                        .withNodeName(node)
                        .withServiceAccountName(AGENT)
                        .addNewContainer()
                        .withName("agent")
                        .withImage("localhost/beesting/node-agent:test")
                        .endContainer()
                        .endSpec()
                        .build())
                .createOr(existing -> existing.update());
        return admin.serviceAccounts()
                .inNamespace(NAMESPACE)
                .withName(AGENT)
                .tokenRequest(new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(3600L)
                        .withNewBoundObjectRef()
                        .withApiVersion("v1")
                        .withKind("Pod")
                        .withName(pod.getMetadata().getName())
                        .withUid(pod.getMetadata().getUid())
                        .endBoundObjectRef()
                        .endSpec()
                        .build())
                .getStatus()
                .getToken();
    }

    /** A client holding a token of the ServiceAccount and no client certificate. */
    static KubernetesClient client(KubernetesClient admin, String name) {
        return clientWithToken(admin, token(admin, name));
    }

    /** A client holding {@code token} and no client certificate. */
    static KubernetesClient clientWithToken(KubernetesClient admin, String token) {
        Config config = new ConfigBuilder(admin.getConfiguration())
                .withClientCertData(null)
                .withClientCertFile(null)
                .withClientKeyData(null)
                .withClientKeyFile(null)
                .withUsername(null)
                .withPassword(null)
                .withOauthToken(token)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
