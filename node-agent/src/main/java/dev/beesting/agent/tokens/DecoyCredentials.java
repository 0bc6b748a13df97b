package dev.beesting.agent.tokens;

import dev.beesting.agent.model.Workload;
import dev.beesting.api.decoy.DecoyCredential;
import dev.beesting.api.decoy.DecoyOrigin;
import dev.beesting.api.nodeconfig.DecoySettings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;

/**
 * Credentials that alert when they are used: a bearer token sealing the container it was planted in, and a kubeconfig
 * that presents it to the decoy API server. See {@link DecoyCredential} for the token's format.
 */
final class DecoyCredentials {
    private final SecureRandom random;
    private final Clock clock;

    DecoyCredentials(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** A token naming this container, token path and policy, sealed with the settings' current key. */
    String token(DecoySettings settings, Workload workload, TemplateRenderer.Target target) {
        DecoyOrigin origin = new DecoyOrigin(
                settings.cluster(),
                workload.node(),
                workload.namespace(),
                workload.pod(),
                workload.podUid(),
                workload.container(),
                target.path(),
                target.policy(),
                target.severity(),
                clock.instant());
        return DecoyCredential.encode(origin, settings.key().decoyKey(), random);
    }

    /**
     * A complete kubeconfig for the decoy. The settings' CA is trusted for the in-cluster decoy, whose certificate
     * names its Service; a decoy a policy names elsewhere may carry another certificate, and a kubeconfig whose
     * verification fails would never send the token, so that one skips verification, as many real ones do.
     */
    String kubeconfig(DecoySettings settings, String policyServer, String token, Workload workload) {
        String cluster = settings.cluster().isEmpty() ? "kubernetes" : settings.cluster();
        String server = policyServer != null ? policyServer : settings.server();
        String trust = policyServer == null && settings.caCertificate() != null
                ? "certificate-authority-data: "
                        + Base64.getEncoder()
                                .encodeToString(settings.caCertificate().getBytes(StandardCharsets.UTF_8))
                : "insecure-skip-tls-verify: true";
        String namespace = workload.namespace().isEmpty() ? "default" : workload.namespace();
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    %s
                    server: %s
                  name: %s
                contexts:
                - context:
                    cluster: %s
                    namespace: %s
                    user: kubernetes-admin
                  name: kubernetes-admin@%s
                current-context: kubernetes-admin@%s
                preferences: {}
                users:
                - name: kubernetes-admin
                  user:
                    token: %s
                """.formatted(trust, server, cluster, cluster, namespace, cluster, cluster, token);
    }
}
