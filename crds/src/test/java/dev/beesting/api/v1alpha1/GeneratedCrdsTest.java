package dev.beesting.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRD YAML committed under {@code crds/} and {@code config/crd/bases/} is exactly what the model generates (edit the Java model and run
 * {@code hack/update-crds.sh}, never the YAML), and every CRD has the shape users rely on.
 */
class GeneratedCrdsTest {
    private static final Path GENERATED = Path.of("target/generated-crds");
    private static final List<Path> COMMITTED = List.of(Path.of("."), Path.of("../config/crd/bases"));
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String ADMISSION = "honeytokenpolicies.beesting.dev-admission.yaml";

    @Test
    void committedCrdsMatchTheModel() throws IOException {
        List<String> generated = yamlFiles(GENERATED);
        for (Path committed : COMMITTED) {
            assertThat(yamlFiles(committed))
                    .as("CRD files in %s (run hack/update-crds.sh)", committed)
                    .containsExactlyElementsOf(generated);
            for (String name : generated) {
                assertThat(Files.readString(committed.resolve(name)))
                        .as(
                                "%s/%s differs from what the Java model generates; run hack/update-crds.sh",
                                committed, name)
                        .isEqualTo(Files.readString(GENERATED.resolve(name)));
            }
        }
    }

    @Test
    void configHoldsTheSameAdmissionPolicy() throws IOException {
        assertThat(Files.readString(Path.of("../config/crd/bases").resolve(ADMISSION)))
                .as("config/crd/bases/%s differs from crds/; run hack/update-crds.sh", ADMISSION)
                .isEqualTo(Files.readString(Path.of(ADMISSION)));
    }

    @Test
    void admissionPolicyChecksLabelKeysWithTheValidatorsPatternAndMessages() throws IOException {
        String policy = Files.readString(Path.of(ADMISSION));
        String celPattern = PolicyRules.labelKeyPattern().replace("\\", "\\\\");
        for (String selector : List.of("namespaceSelector", "podSelector")) {
            assertThat(policy).contains("spec." + selector + ".matchLabels: " + PolicyRules.LABEL_KEYS);
        }
        assertThat(policy.split(java.util.regex.Pattern.quote("k.matches('" + celPattern + "')"), -1))
                .as("both validations use the Java validator's label key pattern")
                .hasSize(3);
    }

    @Test
    void everyCrdHasStatusShortNameCategoryAndColumns() throws IOException {
        Map<String, List<String>> columns = Map.of(
                "HoneytokenPolicy",
                List.of("Namespaces", "Nodes", "Alerts", "Ready", "Action", "Age", "Reason", "Message"),
                "HoneytokenAlert",
                List.of(
                        "Pod",
                        "Container",
                        "Access",
                        "Source",
                        "Process",
                        "Parent",
                        "Origin",
                        "Path",
                        "Severity",
                        "Count",
                        "Denied",
                        "Last Seen",
                        "Age",
                        "Policy",
                        "Node"),
                "HoneytokenNode",
                List.of("Runtime", "Detector", "NRI", "Config", "Armed", "Age"));
        Map<String, String> shortNames = Map.of(
                "HoneytokenPolicy", "htp",
                "HoneytokenAlert", "hta",
                "HoneytokenNode", "htn");
        for (String name : yamlFiles(GENERATED)) {
            JsonNode crd = YAML.readTree(GENERATED.resolve(name).toFile());
            String kind = crd.at("/spec/names/kind").asText();
            JsonNode version = crd.at("/spec/versions/0");
            assertThat(crd.at("/spec/group").asText()).isEqualTo("beesting.dev");
            assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
            assertThat(version.at("/subresources/status").isObject())
                    .as(kind + " status")
                    .isTrue();
            assertThat(crd.at("/spec/names/categories").toString()).contains("beesting");
            assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo(shortNames.get(kind));
            List<String> names = new ArrayList<>();
            version.path("additionalPrinterColumns")
                    .forEach(c -> names.add(c.path("name").asText()));
            // in the declared order, which kubectl shows (the generator sorts by path; PrinterColumnOrder undoes it)
            assertThat(names).as(kind + " printer columns").containsExactlyElementsOf(columns.get(kind));
        }
    }

    @Test
    void alertsAreNamespacedAndPoliciesAndNodesAreClusterScoped() throws IOException {
        assertThat(scope("honeytokenalerts.beesting.dev-v1.yml")).isEqualTo("Namespaced");
        assertThat(scope("honeytokenpolicies.beesting.dev-v1.yml")).isEqualTo("Cluster");
        assertThat(scope("honeytokennodes.beesting.dev-v1.yml")).isEqualTo("Cluster");
    }

    private static String scope(String file) throws IOException {
        return YAML.readTree(GENERATED.resolve(file).toFile()).at("/spec/scope").asText();
    }

    private static List<String> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }
}
