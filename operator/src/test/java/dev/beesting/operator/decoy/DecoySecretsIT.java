package dev.beesting.operator.decoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Secret;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The decoy creates its key and certificate once; the operator copies key and CA into every agent's config and
 * follows a key rotation.
 */
@Tag(KubeApi.TAG)
class DecoySecretsIT {
    private static final List<String> NAMES = List.of("beesting-decoy", "beesting-decoy.beesting-system.svc");

    private OperatorHarness cluster;
    private DecoySecrets secrets;

    @BeforeEach
    void start() {
        cluster = OperatorHarness.start();
        secrets = new DecoySecrets(cluster.client(), OperatorHarness.NAMESPACE, new SecureRandom(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void keyAndCertificateAreCreatedOnceAndACertificateForNewNamesKeepsTheCa() {
        List<DecoyKey> keys = secrets.ensureKeys();
        assertThat(keys).hasSize(1);
        assertThat(secrets.ensureKeys()).isEqualTo(keys);
        assertThat(secrets.currentKeys()).isEqualTo(keys);

        DecoyTls tls = secrets.ensureTls(NAMES, List.of());
        assertThat(secrets.ensureTls(NAMES, List.of())).isEqualTo(tls);
        DecoyTls renamed = secrets.ensureTls(List.of("decoy.example.com"), List.of());
        assertThat(renamed.caCertificate()).isEqualTo(tls.caCertificate());
        assertThat(renamed.certificate()).isNotEqualTo(tls.certificate());
        assertThat(renamed.names(List.of("decoy.example.com"))).isTrue();

        Secret stored = cluster.client()
                .secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(DecoySecrets.KEY_SECRET)
                .get();
        assertThat(stored.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "decoy");
    }

    @Test
    void theOperatorCopiesKeyAndCaIntoTheNodeConfigAndFollowsARotation() {
        cluster.namespace("cms", Map.of());
        cluster.policy("""
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata: {name: decoy}
                spec:
                  tokens: [{path: /root/.kube/config, content: {template: "{{kubeconfig}}"}}]
                """);
        NodeConfig before = cluster.awaitConfig(c -> !c.policies().isEmpty());
        assertThat(before.decoy()).isNull();

        DecoyKey first = secrets.ensureKeys().getFirst();
        DecoyTls tls = secrets.ensureTls(NAMES, List.of());
        NodeConfig withDecoy =
                cluster.awaitConfig(c -> c.decoy() != null && c.decoy().caCertificate() != null);
        assertThat(withDecoy.decoy().key().decoyKey()).isEqualTo(first);
        assertThat(withDecoy.decoy().previousKey()).isNull();
        assertThat(withDecoy.decoy().caCertificate()).isEqualTo(tls.caCertificate());
        assertThat(withDecoy.decoy().server()).isEqualTo("https://beesting-decoy.beesting-system.svc");

        DecoyKey second = DecoyKey.generate("k2", new SecureRandom());
        cluster.client()
                .secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(DecoySecrets.KEY_SECRET)
                .edit(s -> {
                    Map<String, String> data = new java.util.HashMap<>(s.getData());
                    data.put(DecoySecrets.PREVIOUS_KEY, data.get(DecoySecrets.KEY));
                    data.put(DecoySecrets.PREVIOUS_KEY_ID, data.get(DecoySecrets.KEY_ID));
                    data.put(DecoySecrets.KEY, second.base64());
                    data.put(DecoySecrets.KEY_ID, java.util.Base64.getEncoder().encodeToString("k2".getBytes()));
                    s.setData(data);
                    return s;
                });
        NodeConfig rotated = cluster.awaitConfig(
                c -> c.decoy() != null && c.decoy().key().decoyKey().equals(second));
        assertThat(rotated.decoy().previousKey().decoyKey()).isEqualTo(first);
        assertThat(rotated.generation()).isGreaterThan(withDecoy.generation());
        assertThat(secrets.currentKeys()).containsExactly(second, first);
    }
}
