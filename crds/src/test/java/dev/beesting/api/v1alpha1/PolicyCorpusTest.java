package dev.beesting.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.beesting.api.v1alpha1.validation.FieldError;
import dev.beesting.api.v1alpha1.validation.PolicyReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds the generated CRD schema (with its CEL rules, and the admission policy beside it) and the Java validator to the
 * same verdicts on one corpus:
 * {@code valid-*.yaml}, the policies under {@code config/samples/}, and {@code invalid-*.yaml} whose first line
 * names the expected error ({@code # expect: spec.tokens[0].path: must be an absolute path}).
 */
class PolicyCorpusTest {
    private static final Path FIXTURES = Path.of("src/test/resources/policies");
    private static final Path SAMPLES = Path.of("../config/samples");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static CrdSchemaValidator schema;

    @BeforeAll
    static void loadGeneratedCrd() throws IOException {
        List<JsonNode> admission = new ArrayList<>();
        try (var parser = YAML.createParser(
                Path.of("honeytokenpolicies.beesting.dev-admission.yaml").toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(admission::add);
        }
        schema = new CrdSchemaValidator(
                YAML.readTree(Path.of("target/generated-crds/honeytokenpolicies.beesting.dev-v1.yml")
                        .toFile()),
                admission);
    }

    static Stream<Path> validPolicies() throws IOException {
        List<Path> all = new ArrayList<>(list(FIXTURES, "valid-"));
        try (Stream<Path> samples = Files.list(SAMPLES)) {
            samples.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(all::add);
        }
        return all.stream();
    }

    static Stream<Path> invalidPolicies() throws IOException {
        return list(FIXTURES, "invalid-").stream();
    }

    @Test
    void corpusIsLargeEnough() throws IOException {
        assertThat(list(FIXTURES, "valid-")).hasSizeGreaterThanOrEqualTo(8);
        assertThat(list(FIXTURES, "invalid-")).hasSizeGreaterThanOrEqualTo(25);
    }

    @Test
    void everyCelRuleOfTheCrdCompiles() {
        assertThat(schema.compileAllRules()).hasSizeGreaterThan(10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPolicies")
    void validPolicyPassesSchemaAndJavaValidator(Path file) throws IOException {
        for (JsonNode policy : policies(file)) {
            assertThat(schema.validateSpec(policy)).as("schema + CEL errors").isEmpty();
            assertThat(PolicyReader.read(policy)).isInstanceOf(PolicyReader.Result.Valid.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void invalidPolicyIsRejectedBySchemaAndJavaValidatorNamingTheField(Path file) throws IOException {
        String expected = expectation(file);
        List<JsonNode> policies = policies(file);
        assertThat(policies).hasSize(1);

        List<String> schemaErrors = schema.validateSpec(policies.getFirst()).stream()
                .map(FieldError::toString)
                .toList();
        assertThat(schemaErrors)
                .as("schema + CEL errors")
                .anySatisfy(e -> assertThat(e).contains(expected));

        PolicyReader.Result result = PolicyReader.read(policies.getFirst());
        assertThat(result).isInstanceOf(PolicyReader.Result.Invalid.class);
        List<String> javaErrors = ((PolicyReader.Result.Invalid) result)
                .errors().stream().map(FieldError::toString).toList();
        assertThat(javaErrors)
                .as("Java validator errors")
                .anySatisfy(e -> assertThat(e).contains(expected));
    }

    private static String expectation(Path file) throws IOException {
        String first = Files.readAllLines(file).getFirst();
        assertThat(first).as("first line of " + file).startsWith("# expect: ");
        return first.substring("# expect: ".length()).trim();
    }

    private static List<JsonNode> policies(Path file) throws IOException {
        List<JsonNode> policies = new ArrayList<>();
        try (var parser = YAML.createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(doc -> {
                if (doc != null && "HoneytokenPolicy".equals(doc.path("kind").asText())) {
                    policies.add(doc);
                }
            });
        }
        return policies;
    }

    private static List<Path> list(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted()
                    .toList();
        }
    }
}
