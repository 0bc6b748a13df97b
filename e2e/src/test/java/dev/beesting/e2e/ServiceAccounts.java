package dev.beesting.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
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
final class ServiceAccounts {
    static final String NAMESPACE = "beesting-system";
    static final String OPERATOR = "beesting-operator";
    static final String AGENT = "beesting-agent";
    private static final Set<String> RBAC_KINDS =
            Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");

    private ServiceAccounts() {}

    /** Creates (or updates) the ServiceAccounts, roles and bindings that {@code config/default} installs. */
    static void installRbac(KubernetesClient admin) {
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
                .forEach(item -> admin.resource(item).createOr(existing -> existing.update()));
    }

    /** A token of the ServiceAccount, from the TokenRequest API. */
    static String token(KubernetesClient admin, String name) {
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

    /** A client holding a token of the ServiceAccount and no client certificate. */
    static KubernetesClient client(KubernetesClient admin, String name) {
        Config config = new ConfigBuilder(admin.getConfiguration())
                .withClientCertData(null)
                .withClientCertFile(null)
                .withClientKeyData(null)
                .withClientKeyFile(null)
                .withUsername(null)
                .withPassword(null)
                .withOauthToken(token(admin, name))
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
