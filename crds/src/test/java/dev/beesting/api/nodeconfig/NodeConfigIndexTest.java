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

    private static Map<String, String> objects(CompiledPolicy... policies) {
        Map<String, String> objects = new HashMap<>();
        for (CompiledPolicy policy : policies) {
            objects.put(PolicyObject.secretName(policy.name()), NodeConfigCodec.writePolicy(policy));
        }
        return objects;
    }

    private static NodeConfigIndex.Assembly assemble(NodeConfigIndex index, Map<String, String> objects) {
        return index.assemble(name -> Optional.ofNullable(objects.get(name)));
    }

    @Test
    void theIndexAndItsObjectsAssembleIntoTheV2Config() {
        NodeConfigIndex index = NodeConfigIndex.of(V2);
        String json = NodeConfigCodec.writeIndex(index);

        assertThat(NodeConfigCodec.readIndex(json)).isEqualTo(index);
        assertThat(NodeConfigCodec.writeIndex(NodeConfigCodec.readIndex(json))).isEqualTo(json);
        assertThat(json).contains("\"apiVersion\":\"beesting.dev/nodeconfig/v3\"", "\"hash\":\"");
        // compact: it travels on every policy edit, and it names each object by the policy's name alone
        assertThat(json).doesNotContain("\n ", "beesting-policy-", "uid");
        assertThat(index.policies())
                .allSatisfy(entry -> assertThat(entry.hash()).hasSize(32));
        // the index names policies, it does not carry them
        assertThat(json).doesNotContain("awsAccessKeyId");
        assertThat(assemble(index, objects(AWS, KUBE))).isEqualTo(new NodeConfigIndex.Assembly.Complete(V2));
    }

    @Test
    void theHashNamesTheContentSoAnEditChangesOnlyThatPolicysEntry() {
        CompiledPolicy edited =
                new CompiledPolicy("fake-aws", "uid-1", 4, List.of(), null, null, List.of(), Severity.LOW, null, null);
        NodeConfigIndex before = NodeConfigIndex.of(V2);
        NodeConfigIndex after =
                NodeConfigIndex.of(new NodeConfig(NodeConfig.API_VERSION_V2, 10, List.of(edited, KUBE)));

        assertThat(after.policies().get(1)).isEqualTo(before.policies().get(1));
        assertThat(after.policies().get(0).hash())
                .isNotEqualTo(before.policies().get(0).hash());
        assertThat(after.policies().get(0).object())
                .isEqualTo(before.policies().get(0).object());
        assertThat(NodeConfigCodec.sha256(NodeConfigCodec.writePolicy(AWS)))
                .isEqualTo(NodeConfigCodec.sha256(
                        NodeConfigCodec.writePolicy(NodeConfigCodec.readPolicy(NodeConfigCodec.writePolicy(AWS)))))
                .hasSize(64);
    }

    @Test
    void aMissingOrStaleObjectLeavesTheIndexWaiting() {
        NodeConfigIndex index = NodeConfigIndex.of(V2);
        Map<String, String> stale = objects(AWS, KUBE);
        stale.put(
                PolicyObject.secretName("fake-aws"),
                NodeConfigCodec.writePolicy(new CompiledPolicy(
                        "fake-aws", "uid-1", 2, List.of(), null, null, List.of(), null, null, null)));

        assertThat(assemble(index, objects(AWS)))
                .isEqualTo(new NodeConfigIndex.Assembly.Waiting(
                        "kubeconfig", "object " + PolicyObject.secretName("kubeconfig") + " is missing"));
        assertThat(assemble(index, stale))
                .isInstanceOfSatisfying(
                        NodeConfigIndex.Assembly.Waiting.class,
                        w -> assertThat(w.policy()).isEqualTo("fake-aws"));
    }

    @Test
    void anIndexOfAnotherFormatIsRejected() {
        assertThatThrownBy(() -> NodeConfigCodec.readIndex(NodeConfigCodec.write(V2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("beesting.dev/nodeconfig/v2");
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
