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
    void carriesDecoySettingsAndTheTokensDecoyServer() {
        NodeConfig config = new NodeConfig(
                NodeConfig.API_VERSION,
                8,
                List.of(new CompiledPolicy(
                        "decoy",
                        "uid-2",
                        1,
                        List.of("cms"),
                        null,
                        List.of(new CompiledToken(
                                "/root/.kube/config", null, null, "{{kubeconfig}}", "https://decoy.example.com")),
                        null,
                        null,
                        null)),
                new DecoySettings(
                        "https://beesting-decoy.beesting-system.svc",
                        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                        "prod-eu",
                        new DecoySettings.Key("k2", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                        null));
        String json = NodeConfigCodec.write(config);
        assertThat(NodeConfigCodec.read(json)).isEqualTo(config);
        assertThat(json)
                .contains("\"decoyServer\" : \"https://decoy.example.com\"", "\"cluster\" : \"prod-eu\"")
                .doesNotContain("previousKey");
        assertThat(config.decoy().keys()).hasSize(1);
        assertThat(config.decoy().toString()).doesNotContain("AAAAAAAA");
    }

    @Test
    void aConfigWithoutDecoySettingsIsWrittenAsBefore() {
        assertThat(NodeConfigCodec.write(CONFIG)).doesNotContain("decoy");
    }

    @Test
    void anOlderReaderIgnoresTheDecoySettings() throws Exception {
        String json = NodeConfigCodec.write(CONFIG.withDecoy(new DecoySettings("https://d", null, null, null, null)));
        // what an agent built before decoy settings existed sees: the same records without the new components
        var older = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        record OldConfig(String apiVersion, long generation, List<java.util.Map<String, Object>> policies) {}
        OldConfig old = older.readValue(json, OldConfig.class);
        assertThat(old.generation()).isEqualTo(7);
        assertThat(NodeConfigCodec.read(json).decoy().server()).isEqualTo("https://d");
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
