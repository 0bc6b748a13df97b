package dev.beesting.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.beesting.agent.kube.NodeConfigWatcher;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.operator.OperatorSettings;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Node config format v4 on a real kube-apiserver with the RBAC of {@code config/}: the operator writes the per-policy
 * Secrets as its own ServiceAccount, and the agent, as its own, follows them with a label-selected watch of their
 * namespace, and may read no other Secret there or elsewhere.
 */
@Tag(KubeApi.REAL_ONLY_TAG)
class PolicyObjectsRealApiIT {
    private final AutoCloser closer = new AutoCloser();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void theAgentFollowsPolicyObjectsAsItsOwnServiceAccountAndReadsNoOtherSecret() throws Exception {
        assertThat(KubeApi.realServerSelected())
                .as("a real API server (-Pkube-api-test)")
                .isTrue();
        ApiCallRecorder operatorCalls = new ApiCallRecorder();
        ApiCallRecorder agentCalls = new ApiCallRecorder();
        OperatorHarness cluster =
                closer.add(OperatorHarness.start(OperatorSettings.forNamespace(OperatorHarness.NAMESPACE), admin -> {
                    ServiceAccounts.installRbac(admin);
                    return operatorCalls.wrap(ServiceAccounts.client(admin, ServiceAccounts.OPERATOR));
                }));
        KubernetesClient admin = cluster.client();
        KubernetesClient agent = closer.add(agentCalls.wrap(
                closer.add(ServiceAccounts.clientWithToken(admin, ServiceAccounts.nodeBoundToken(admin, "worker-1")))));
        cluster.node("worker-1", NodeConfig.FORMAT_V4);
        cluster.policy("""
                apiVersion: beesting.dev/v1alpha1
                kind: HoneytokenPolicy
                metadata: {name: fake-aws}
                spec:
                  tokens: [{path: /root/.aws/credentials, content: {value: first}}]
                """);

        NodeConfigWatcher watcher = closer.add(NodeConfigWatcher.start(
                agent, OperatorHarness.NAMESPACE, Optional.of(PolicyObject.DEFAULT_NAMESPACE), Optional.empty()));
        await().atMost(OperatorHarness.PATIENCE).until(() -> "first".equals(value(watcher.get())));
        assertThat(watcher.format()).isEqualTo(NodeConfig.FORMAT_V4);
        assertThat(admin.secrets()
                        .inNamespace(OperatorHarness.NAMESPACE)
                        .withName(NodeConfig.SECRET_NAME)
                        .get()
                        .getData())
                .as("every node reads v4: the Secret holds the index alone")
                .containsOnlyKeys(NodeConfig.SECRET_KEY_V4);

        long generation = watcher.get().generation();
        String indexVersion = admin.secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(NodeConfig.SECRET_NAME)
                .get()
                .getMetadata()
                .getResourceVersion();
        // the operator writes the policy's status meanwhile: an edit read before that write is refused (409), retried
        await().atMost(OperatorHarness.PATIENCE)
                .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                .until(() -> admin.resources(HoneytokenPolicy.class)
                                .withName("fake-aws")
                                .edit(p -> {
                                    p.getSpec().tokens.getFirst().content.value = "second";
                                    return p;
                                })
                        != null);
        await().atMost(OperatorHarness.PATIENCE).until(() -> "second".equals(value(watcher.get())));
        assertThat(watcher.get().generation()).isEqualTo(generation + 1);
        assertThat(admin.secrets()
                        .inNamespace(OperatorHarness.NAMESPACE)
                        .withName(NodeConfig.SECRET_NAME)
                        .get()
                        .getMetadata()
                        .getResourceVersion())
                .as("the edit reached the agent as the policy's object alone")
                .isEqualTo(indexVersion);

        // what the two components asked for is what config/ grants
        List<HasMetadata> deployment = Kustomize.build("default");
        RbacRules operatorRbac = new RbacRules(deployment, "beesting-system", "beesting-operator");
        RbacRules agentRbac = new RbacRules(deployment, "beesting-system", "beesting-agent");
        assertThat(operatorCalls.calls())
                .anySatisfy(c -> assertThat(c.namespace()).isEqualTo(PolicyObject.DEFAULT_NAMESPACE))
                .allSatisfy(c -> assertThat(operatorRbac.allows(c))
                        .as("operator RBAC allows %s", c)
                        .isTrue());
        assertThat(agentCalls.calls())
                .anySatisfy(c -> assertThat(c.namespace()).isEqualTo(PolicyObject.DEFAULT_NAMESPACE))
                .allSatisfy(c -> assertThat(agentRbac.allows(c))
                        .as("agent RBAC allows %s", c)
                        .isTrue());

        // the policy namespace is the only one whose Secrets the agent may list
        assertThatThrownBy(() ->
                        agent.secrets().inNamespace(OperatorHarness.NAMESPACE).list())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
        assertThatThrownBy(() -> agent.secrets()
                        .inNamespace(PolicyObject.DEFAULT_NAMESPACE)
                        .resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
                                .withNewMetadata()
                                .withName("planted")
                                .endMetadata()
                                .build())
                        .create())
                .isInstanceOfSatisfying(
                        KubernetesClientException.class,
                        e -> assertThat(e.getCode()).isEqualTo(403));
    }

    private static String value(NodeConfig config) {
        return config.policies().stream()
                .filter(p -> p.name().equals("fake-aws"))
                .findFirst()
                .map(CompiledPolicy::tokens)
                .map(tokens -> tokens.getFirst().value())
                .orElse(null);
    }
}
