package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.operator.OperatorSettings;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.StoredNodeConfig;
import dev.beesting.operator.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Node config format v4: an index in the node config Secret and one Secret per policy in a namespace of its own. */
@Tag(KubeApi.TAG)
class PolicyObjectsIT {
    private static final String OBJECTS = PolicyObject.DEFAULT_NAMESPACE;

    private OperatorHarness cluster;

    @BeforeEach
    void start() {
        // installed before the operator starts, as config/default does: it watches the objects only then
        cluster = OperatorHarness.start(OperatorSettings.forNamespace(OperatorHarness.NAMESPACE), admin -> {
            admin.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(OBJECTS)
                            .endMetadata()
                            .build())
                    .create();
            return admin;
        });
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aPolicyEditRewritesThatPolicysObjectAndNothingElse() {
        cluster.node("worker-1", NodeConfig.FORMAT_V4);
        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.client().resource(literal("other", "bait")).create();
        NodeConfigIndex index = awaitIndex(i -> i.policies().size() == 2);
        assertThat(storedKeys()).as("every node reads v4").isEqualTo(Set.of(NodeConfig.SECRET_KEY_V4));
        assertThat(objects()).containsOnlyKeys(PolicyObject.secretName("fake-aws"), PolicyObject.secretName("other"));
        NodeConfig first = ((NodeConfigIndex.Assembly.Complete) assemble(index)).config();
        assertThat(first.generation()).isEqualTo(index.generation());
        Map<String, String> versionsBefore = versions();
        String indexVersion = indexSecret().getMetadata().getResourceVersion();

        // the operator writes the policy's status meanwhile: an edit read before that write is refused (409), retried
        await().atMost(OperatorHarness.PATIENCE)
                .ignoreExceptionsMatching(e ->
                        e instanceof io.fabric8.kubernetes.client.KubernetesClientException k && k.getCode() == 409)
                .until(() -> cluster.client()
                                .resources(dev.beesting.api.v1alpha1.HoneytokenPolicy.class)
                                .withName("other")
                                .edit(policy -> {
                                    policy.getSpec().tokens.getFirst().content.value = "edited";
                                    return policy;
                                })
                        != null);

        await().atMost(OperatorHarness.PATIENCE)
                .until(() -> objects()
                        .get(PolicyObject.secretName("other"))
                        .document()
                        .contains("edited"));
        Map<String, String> versionsAfter = versions();
        assertThat(versionsAfter.get(PolicyObject.secretName("fake-aws")))
                .as("the policy nobody edited keeps its object untouched")
                .isEqualTo(versionsBefore.get(PolicyObject.secretName("fake-aws")));
        assertThat(indexSecret().getMetadata().getResourceVersion())
                .as("the index names policies, not versions: an edit leaves it alone")
                .isEqualTo(indexVersion);
        assertThat(objects().get(PolicyObject.secretName("other")))
                .as("the edit is the next write, for the index already stored")
                .returns(index.generation() + 1, PolicyObject.Stored::generation)
                .returns(index.generation(), PolicyObject.Stored::indexGeneration);
        NodeConfig assembled =
                ((NodeConfigIndex.Assembly.Complete) assemble(readIndex().orElseThrow())).config();
        assertThat(assembled.generation()).isEqualTo(index.generation() + 1);
        assertThat(assembled.bySelector()).isTrue();
        assertThat(assembled.policies().get(1).tokens().getFirst().value()).isEqualTo("edited");
        cluster.awaitPolicy(
                "other", p -> p.getStatus() != null && p.getStatus().configGeneration == index.generation() + 1);
    }

    @Test
    void aNewPolicyIsWrittenBeforeTheIndexThatNamesIt() {
        cluster.node("worker-1", NodeConfig.FORMAT_V4);
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfigIndex first = awaitIndex(i -> i.policies().size() == 1);

        cluster.client().resource(literal("other", "bait")).create();

        NodeConfigIndex second = awaitIndex(i -> i.policies().size() == 2);
        PolicyObject.Stored added = objects().get(PolicyObject.secretName("other"));
        assertThat(added.generation()).isEqualTo(first.generation() + 1);
        assertThat(added.indexGeneration()).isEqualTo(second.generation());
        assertThat(second.generation()).isEqualTo(first.generation() + 2);
        assertThat(second.newestObject()).isEqualTo(added.generation());
    }

    @Test
    void aDeletedPolicyLeavesTheIndexAndThenItsObjectGoes() {
        cluster.node("worker-1", NodeConfig.FORMAT_V4);
        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.client().resource(literal("other", "bait")).create();
        awaitIndex(i -> i.policies().size() == 2);

        cluster.client()
                .resources(dev.beesting.api.v1alpha1.HoneytokenPolicy.class)
                .withName("other")
                .delete();

        awaitIndex(i -> i.policies().size() == 1);
        await().atMost(OperatorHarness.PATIENCE)
                .until(() -> objects().keySet().equals(Set.of(PolicyObject.secretName("fake-aws"))));
    }

    @Test
    void olderFormatsAreStoredBesideV4WhileANodeReadsOnlyThem() {
        cluster.namespace("cms", Map.of());
        cluster.node("v2-agent", NodeConfig.FORMAT_V2);
        cluster.node("v1-agent", null);
        cluster.policy(TestPolicies.AWS_POLICY);
        NodeConfigIndex index = awaitIndex(i -> i.policies().size() == 1);
        await().atMost(OperatorHarness.PATIENCE)
                .until(() -> storedKeys()
                        .equals(Set.of(NodeConfig.SECRET_KEY, NodeConfig.SECRET_KEY_V2, NodeConfig.SECRET_KEY_V4)));
        assertThat(cluster.nodeConfig().orElseThrow().generation()).isEqualTo(index.generation());
        assertThat(cluster.nodeConfigV1().orElseThrow().policies().getFirst().namespaces())
                .contains("cms");

        // an agent of the unreleased format v3 reads v2 too
        cluster.node("v1-agent", NodeConfig.FORMAT_V3);
        await().atMost(OperatorHarness.PATIENCE)
                .until(() -> storedKeys().equals(Set.of(NodeConfig.SECRET_KEY_V2, NodeConfig.SECRET_KEY_V4)));
        cluster.node("v1-agent", NodeConfig.FORMAT_V4);
        cluster.node("v2-agent", NodeConfig.FORMAT_V4);
        await().atMost(OperatorHarness.PATIENCE).until(() -> storedKeys().equals(Set.of(NodeConfig.SECRET_KEY_V4)));
        assertThat(readIndex().orElseThrow().generation())
                .as("retiring a format changes no content")
                .isEqualTo(index.generation());
        cluster.awaitPolicy(
                "fake-aws", p -> p.getStatus() != null && p.getStatus().configGeneration == index.generation());
    }

    private static dev.beesting.api.v1alpha1.HoneytokenPolicy literal(String name, String value) {
        var policy = TestPolicies.literal(name);
        policy.getSpec().tokens.getFirst().content.value = value;
        return policy;
    }

    private Secret indexSecret() {
        return cluster.client()
                .secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(NodeConfig.SECRET_NAME)
                .get();
    }

    private Set<String> storedKeys() {
        Secret secret = indexSecret();
        return secret == null || secret.getData() == null
                ? Set.of()
                : Set.copyOf(secret.getData().keySet());
    }

    private Optional<NodeConfigIndex> readIndex() {
        return NodeConfigSecret.readIndex(indexSecret());
    }

    private NodeConfigIndex awaitIndex(Predicate<NodeConfigIndex> condition) {
        return await().atMost(OperatorHarness.PATIENCE)
                .until(() -> readIndex().filter(condition).orElse(null), index -> index != null);
    }

    private List<Secret> objectSecrets() {
        return cluster.client()
                .secrets()
                .inNamespace(OBJECTS)
                .withLabel(PolicyObject.COMPONENT_LABEL, PolicyObject.COMPONENT)
                .list()
                .getItems();
    }

    /** Object name to what it stores. */
    private Map<String, PolicyObject.Stored> objects() {
        return StoredNodeConfig.objects(cluster.client());
    }

    private Map<String, String> versions() {
        return objectSecrets().stream()
                .collect(Collectors.toMap(
                        s -> s.getMetadata().getName(), s -> s.getMetadata().getResourceVersion()));
    }

    private NodeConfigIndex.Assembly assemble(NodeConfigIndex index) {
        Map<String, PolicyObject.Stored> objects = objects();
        return index.assemble(name -> Optional.ofNullable(objects.get(name)));
    }

    @Test
    void withoutTheNamespaceAtStartTheOperatorStoresV2Alone() {
        cluster.close();
        cluster = OperatorHarness.start();
        cluster.node("worker-1", NodeConfig.FORMAT_V4);
        cluster.policy(TestPolicies.AWS_POLICY);
        cluster.awaitConfig(c -> c.policies().size() == 1);
        assertThat(storedKeys()).isEqualTo(Set.of(NodeConfig.SECRET_KEY_V2));
    }
}
