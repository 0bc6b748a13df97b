package dev.beesting.api.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeConfigIndexTest {
    private static final CompiledPolicy AWS = new CompiledPolicy(
            "fake-aws",
            "uid-1",
            3,
            List.of(),
            new LabelSelector(Map.of("team", "shop"), null),
            null,
            List.of(new CompiledToken("/root/.aws/credentials", null, null, "{{awsAccessKeyId}}")),
            Severity.CRITICAL,
            PolicyAction.BLOCK,
            List.of());
    private static final CompiledPolicy KUBE =
            new CompiledPolicy("kubeconfig", "uid-2", 1, List.of(), null, null, List.of(), null, null, null);
    private static final NodeConfig V2 = new NodeConfig(NodeConfig.API_VERSION_V2, 9, List.of(AWS, KUBE));

    private static final NodeConfigIndex INDEX =
            new NodeConfigIndex(NodeConfigIndex.API_VERSION, 7, 6, List.of("fake-aws", "kubeconfig"), null);

    private static Map<String, PolicyObject.Stored> objects(long awsGeneration, long kubeGeneration) {
        Map<String, PolicyObject.Stored> objects = new HashMap<>();
        objects.put(
                PolicyObject.secretName("fake-aws"),
                new PolicyObject.Stored(NodeConfigCodec.writePolicy(AWS), awsGeneration, 7));
        objects.put(
                PolicyObject.secretName("kubeconfig"),
                new PolicyObject.Stored(NodeConfigCodec.writePolicy(KUBE), kubeGeneration, 7));
        return objects;
    }

    private static NodeConfigIndex.Assembly assemble(NodeConfigIndex index, Map<String, PolicyObject.Stored> objects) {
        return index.assemble(name -> Optional.ofNullable(objects.get(name)));
    }

    @Test
    void theIndexAndItsObjectsAssembleIntoTheV2ConfigAtTheNewestGeneration() {
        String json = NodeConfigCodec.writeIndex(INDEX);

        assertThat(NodeConfigCodec.readIndex(json)).isEqualTo(INDEX);
        assertThat(NodeConfigCodec.writeIndex(NodeConfigCodec.readIndex(json))).isEqualTo(json);
        assertThat(json).contains("\"apiVersion\":\"beesting.dev/nodeconfig/v4\"", "\"newestObject\":6");
        // compact, names only: no edit of a policy changes it
        assertThat(json).doesNotContain("\n ", "beesting-policy-", "uid", "hash", "awsAccessKeyId");
        assertThat(assemble(INDEX, objects(5, 6)))
                .isEqualTo(new NodeConfigIndex.Assembly.Complete(
                        new NodeConfig(NodeConfig.API_VERSION_V2, 7, List.of(AWS, KUBE))));
        // an edit after the index: the object alone carries the newer generation
        assertThat(assemble(INDEX, objects(8, 6)))
                .isEqualTo(new NodeConfigIndex.Assembly.Complete(
                        new NodeConfig(NodeConfig.API_VERSION_V2, 8, List.of(AWS, KUBE))));
    }

    @Test
    void aMissingObjectLeavesTheIndexWaiting() {
        Map<String, PolicyObject.Stored> objects = objects(5, 6);
        objects.remove(PolicyObject.secretName("kubeconfig"));

        assertThat(assemble(INDEX, objects))
                .isEqualTo(new NodeConfigIndex.Assembly.Waiting(
                        "kubeconfig", "object " + PolicyObject.secretName("kubeconfig") + " is missing"));
    }

    @Test
    void anObjectWrittenForANewerIndexWaitsForThatIndex() {
        // the operator added a policy and edited fake-aws in one change: objects at 8 and 9 for index 10; this node's
        // watch of the index is behind the watch of the objects
        Map<String, PolicyObject.Stored> objects = objects(5, 6);
        objects.put(
                PolicyObject.secretName("fake-aws"), new PolicyObject.Stored(NodeConfigCodec.writePolicy(AWS), 8, 10));

        assertThat(assemble(INDEX, objects))
                .isInstanceOfSatisfying(
                        NodeConfigIndex.Assembly.Waiting.class,
                        w -> assertThat(w.reason()).contains("needs index generation 10, this is 7"));
    }

    @Test
    void anIndexNewerThanTheObjectsHeldWaitsForThem() {
        // the index saw kubeconfig's write at 6; a node whose watch of the objects is behind holds it at 4
        assertThat(assemble(INDEX, objects(5, 4)))
                .isInstanceOfSatisfying(
                        NodeConfigIndex.Assembly.Waiting.class,
                        w -> assertThat(w.reason()).contains("at generation 5, the index saw one at 6"));
    }

    @Test
    void anObjectHoldingAnotherPolicyOrNoneIsNotApplied() {
        Map<String, PolicyObject.Stored> objects = objects(5, 6);
        objects.put(
                PolicyObject.secretName("kubeconfig"), new PolicyObject.Stored(NodeConfigCodec.writePolicy(AWS), 6, 7));
        assertThat(assemble(INDEX, objects))
                .isInstanceOfSatisfying(
                        NodeConfigIndex.Assembly.Waiting.class,
                        w -> assertThat(w.reason()).contains("holds policy fake-aws"));

        objects.put(PolicyObject.secretName("kubeconfig"), new PolicyObject.Stored("{not json", 6, 7));
        assertThat(assemble(INDEX, objects))
                .isInstanceOfSatisfying(
                        NodeConfigIndex.Assembly.Waiting.class,
                        w -> assertThat(w.reason()).contains("unreadable"));
    }

    @Test
    void generationsComeFromAnnotationsAndAMissingOrBadOneCountsAsZero() {
        PolicyObject.Stored stored = new PolicyObject.Stored("{}", 12, 9);

        assertThat(PolicyObject.Stored.of("{}", stored.annotations())).isEqualTo(stored);
        assertThat(PolicyObject.Stored.of("{}", null)).isEqualTo(new PolicyObject.Stored("{}", 0, 0));
        assertThat(PolicyObject.Stored.of(
                        "{}",
                        Map.of(
                                PolicyObject.GENERATION_ANNOTATION,
                                "x",
                                PolicyObject.INDEX_GENERATION_ANNOTATION,
                                "-3")))
                .isEqualTo(new PolicyObject.Stored("{}", 0, 0));
    }

    @Test
    void anIndexOfAnotherFormatIsRejected() {
        assertThatThrownBy(() -> NodeConfigCodec.readIndex(NodeConfigCodec.write(V2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beesting.dev/nodeconfig/v2");
        assertThatThrownBy(() -> NodeConfigCodec.readIndex(
                        "{\"apiVersion\":\"beesting.dev/nodeconfig/v3\",\"generation\":3,\"policies\":[]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beesting.dev/nodeconfig/v3");
    }

    @Test
    void objectNamesAreBoundedDnsNamesAndDistinctForLongSharedPrefixes() {
        String a = "p".repeat(240) + "-a";
        String b = "p".repeat(240) + "-b";
        String dotted = "x".repeat(226) + ".y";

        assertThat(PolicyObject.secretName("fake-aws"))
                .startsWith("beesting-policy-fake-aws-")
                .hasSize(35);
        assertThat(PolicyObject.secretName(a)).hasSizeLessThanOrEqualTo(253).isNotEqualTo(PolicyObject.secretName(b));
        assertThat(PolicyObject.secretName(dotted))
                .hasSizeLessThanOrEqualTo(253)
                .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
        assertThat(PolicyObject.secretName("fake-aws")).isEqualTo(PolicyObject.secretName("fake-aws"));
    }
}
