package dev.beesting.operator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.operator.OperatorSettings;
import dev.beesting.operator.testing.KubeApi;
import dev.beesting.operator.testing.OperatorHarness;
import dev.beesting.operator.testing.StoredNodeConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files: {@code golden/<case>/input.yaml} (namespaces, Secrets, policies) in, the node config
 * ({@code config.json} in format v1, {@code config-v2.json} in v2 and the v4 index {@code config-v4.json}, uids
 * and the generations blanked; v4's policy objects must assemble into exactly the v2 document) and every
 * policy's Accepted condition ({@code accepted.txt}) out. Run with
 * {@code -Dgolden.update=true} to rewrite the expected files after an intended change, then review the diff.
 */
@Tag(KubeApi.TAG)
class GoldenNodeConfigIT {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Path SAMPLES = Path.of("../config/samples");

    private OperatorHarness cluster;

    @BeforeEach
    void start() {
        cluster = OperatorHarness.start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"samples", "mixed"})
    void compilesTheInputsIntoTheGoldenNodeConfig(String name) throws IOException {
        cluster.node("old-agent", null); // a node that reads only v1, so both formats are stored
        List<String> policies = applyInputs(name);
        // reconciles run one at a time, so once every policy has a status the config holds all of them
        List<String> accepted = await().atMost(OperatorHarness.PATIENCE)
                .until(() -> policies.stream().map(this::acceptedLine).toList(), lines -> !lines.contains(null));

        expect(
                GOLDEN.resolve(name).resolve("config.json"),
                blanked(cluster.nodeConfigV1().orElseThrow()));
        expect(
                GOLDEN.resolve(name).resolve("config-v2.json"),
                blanked(cluster.nodeConfig().orElseThrow()));
        expect(GOLDEN.resolve(name).resolve("accepted.txt"), String.join("\n", accepted) + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"samples", "mixed"})
    void formatV3IsAnIndexWhoseObjectsAssembleIntoTheV2Document(String name) throws IOException {
        cluster.close();
        // the policy-object namespace exists when the operator starts, as config/default installs it; it is one
        // namespace more for selectors, so this case has no v1 golden of its own
        cluster = OperatorHarness.start(OperatorSettings.forNamespace(OperatorHarness.NAMESPACE), admin -> {
            admin.resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(PolicyObject.DEFAULT_NAMESPACE)
                            .endMetadata()
                            .build())
                    .create();
            return admin;
        });
        cluster.node("v2-agent", NodeConfig.FORMAT_V2); // so v2 is stored beside v4, to compare with
        List<String> policies = applyInputs(name);
        await().atMost(OperatorHarness.PATIENCE)
                .until(() -> policies.stream().map(this::acceptedLine).toList(), lines -> !lines.contains(null));
        // the v2 document carries the generation of the last v4 write: once they agree, the index and objects are in
        NodeConfigIndex index = await().atMost(OperatorHarness.PATIENCE)
                .until(
                        () -> readIndex().orElse(null),
                        i -> i != null
                                && index(i).generation()
                                        == cluster.nodeConfig().orElseThrow().generation());
        NodeConfig v2 = cluster.nodeConfig().orElseThrow();
        expect(GOLDEN.resolve(name).resolve("config-v4.json"), blankedIndex(index));
        Map<String, PolicyObject.Stored> objects = StoredNodeConfig.objects(cluster.client());
        assertThat(index.assemble(o -> Optional.ofNullable(objects.get(o))))
                .isEqualTo(new NodeConfigIndex.Assembly.Complete(v2));
        assertThat(objects).hasSameSizeAs(index.policies());
    }

    /** What the index and the stored objects assemble into, or a config at generation -1 when they are not whole. */
    private NodeConfig index(NodeConfigIndex index) {
        Map<String, PolicyObject.Stored> objects = StoredNodeConfig.objects(cluster.client());
        return switch (index.assemble(o -> Optional.ofNullable(objects.get(o)))) {
            case NodeConfigIndex.Assembly.Complete(NodeConfig config) -> config;
            case NodeConfigIndex.Assembly.Waiting waiting -> new NodeConfig(NodeConfig.API_VERSION_V2, -1, List.of());
        };
    }

    /** Applies the case's inputs; returns the names of its policies, sorted. */
    private List<String> applyInputs(String name) throws IOException {
        List<HasMetadata> applied = new ArrayList<>(cluster.apply("/golden/" + name + "/input.yaml"));
        if (name.equals("samples")) {
            for (Path sample : samples()) {
                applied.addAll(cluster.apply(sample));
            }
        }
        return applied.stream()
                .filter(item -> "HoneytokenPolicy".equals(item.getKind()))
                .map(p -> p.getMetadata().getName())
                .sorted()
                .toList();
    }

    private Optional<NodeConfigIndex> readIndex() {
        return NodeConfigSecret.readIndex(cluster.client()
                .secrets()
                .inNamespace(OperatorHarness.NAMESPACE)
                .withName(NodeConfig.SECRET_NAME)
                .get());
    }

    /** The index, indented for review, with its generations blanked. */
    private static String blankedIndex(NodeConfigIndex index) throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String indented = mapper.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(mapper.readTree(NodeConfigCodec.writeIndex(index)))
                + "\n";
        return indented.replaceFirst("(?m)^  \"generation\" : \\d+", "  \"generation\" : \"<generation>\"")
                .replaceFirst("(?m)^  \"newestObject\" : \\d+", "  \"newestObject\" : \"<generation>\"");
    }

    private static String blanked(dev.beesting.api.nodeconfig.NodeConfig config) {
        return NodeConfigCodec.write(config)
                .replaceAll("\"uid\" : \"[^\"]*\"", "\"uid\" : \"<uid>\"")
                // how many configs were written on the way depends on event timing; the content must not
                .replaceFirst("(?m)^  \"generation\" : \\d+", "  \"generation\" : \"<generation>\"");
    }

    private String acceptedLine(String policy) {
        HoneytokenPolicy stored = cluster.client()
                .resources(HoneytokenPolicy.class)
                .withName(policy)
                .get();
        Condition accepted = PolicyValidationIT.accepted(stored);
        if (accepted == null) {
            return null;
        }
        return policy + ": " + accepted.getStatus() + " " + accepted.getReason() + ": " + accepted.getMessage();
    }

    private static void expect(Path file, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("golden file " + file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    private static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(SAMPLES)) {
            // standalone.yaml is the agent's host config, not a Kubernetes object
            return files.filter(f -> f.toString().endsWith(".yaml"))
                    .filter(GoldenNodeConfigIT::isManifest)
                    .sorted(Comparator.naturalOrder())
                    .toList();
        }
    }

    private static boolean isManifest(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("apiVersion:"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
