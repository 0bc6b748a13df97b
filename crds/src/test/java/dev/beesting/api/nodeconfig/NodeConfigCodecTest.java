package dev.beesting.api.nodeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigCodecTest {
    private static final NodeConfig CONFIG = new NodeConfig(
            NodeConfig.API_VERSION,
            7,
            List.of(new CompiledPolicy(
                    "fake-aws",
                    "uid-1",
                    3,
                    List.of("cms", "shop"),
                    new LabelSelector(Map.of("b", "2", "a", "1"), null),
                    List.of(new CompiledToken("/root/.aws/credentials", null, null, "{{awsAccessKeyId}}")),
                    Severity.CRITICAL,
                    PolicyAction.BLOCK,
                    List.of("/usr/bin/backup"))));

    @Test
    void roundTripsAndIsDeterministic() {
        String json = NodeConfigCodec.write(CONFIG);
        assertThat(NodeConfigCodec.read(json)).isEqualTo(CONFIG);
        assertThat(NodeConfigCodec.write(NodeConfigCodec.read(json))).isEqualTo(json);
        assertThat(json).contains("\"severity\" : \"critical\"", "\"action\" : \"Block\"", "\"mode\" : \"0444\"");
        assertThat(json.indexOf("\"a\" : \"1\"")).isLessThan(json.indexOf("\"b\" : \"2\""));
    }

    @Test
    void formatV2CarriesTheNamespaceSelectorAndV1StaysAsItWas() {
        LabelSelector selector = new LabelSelector(Map.of("beesting.dev/protect", "true"), null);
        NodeConfig v2 = new NodeConfig(
                NodeConfig.API_VERSION_V2,
                7,
                CONFIG.policies().stream().map(p -> p.withSelector(selector)).toList());

        String json = NodeConfigCodec.write(v2);

        assertThat(NodeConfigCodec.read(json)).isEqualTo(v2);
        assertThat(NodeConfigCodec.read(json).bySelector()).isTrue();
        assertThat(json).contains("\"namespaceSelector\" : {", "\"beesting.dev/protect\" : \"true\"");
        // the v1 document an older agent reads has not one byte more than before v2
        assertThat(NodeConfigCodec.write(CONFIG)).doesNotContain("namespaceSelector");
        assertThat(CONFIG.bySelector()).isFalse();
    }

    @Test
    void rejectsAnotherFormatVersionByName() {
        assertThatThrownBy(() -> NodeConfigCodec.read("{\"apiVersion\":\"beesting.dev/nodeconfig/v9\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("apiVersion 'beesting.dev/nodeconfig/v9' is not supported");
    }

    @Test
    void ignoresFieldsOfNewerWriters() {
        NodeConfig config = NodeConfigCodec.read(
                "{\"apiVersion\":\"beesting.dev/nodeconfig/v1\",\"generation\":2,\"future\":1,\"policies\":[]}");
        assertThat(config.generation()).isEqualTo(2);
    }
}
