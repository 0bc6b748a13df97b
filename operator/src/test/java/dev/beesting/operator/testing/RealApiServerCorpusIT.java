package dev.beesting.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real API server only (tag {@code real-kube-api}, run by {@code -Pkube-api-test}): the whole policy corpus goes through
 * a real kube-apiserver as a user sends it, {@code kubectl create --dry-run=server} (Go's YAML, strict field
 * validation), so the server's own schema, CEL rules and the admission policy beside the CRDs accept every
 * {@code valid-*} file and every sample, and reject every {@code invalid-*} file naming the field the Java validator
 * names, with its message. The mock server cannot do this (it evaluates no CEL and estimates no cost).
 */
@Tag(KubeApi.REAL_ONLY_TAG)
class RealApiServerCorpusIT {
    private static final Path CORPUS = Path.of("../crds/src/test/resources/policies");
    private static final Path SAMPLES = Path.of("../config/samples");
    private static KubeApi api;
    private static Path kubeconfig;

    @BeforeAll
    static void start() throws IOException {
        assertThat(KubeApi.realServerSelected())
                .as("a real API server (-Pkube-api-test)")
                .isTrue();
        api = KubeApi.start(OperatorHarness.NAMESPACE, "cms");
        kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
        Files.writeString(kubeconfig, api.kubeconfig().orElseThrow());
    }

    @AfterAll
    static void stop() throws IOException {
        api.close();
        Files.deleteIfExists(kubeconfig);
    }

    static Stream<Path> valid() throws IOException {
        return Stream.concat(corpus(CORPUS, "valid-"), corpus(SAMPLES, ""))
                .filter(f -> f.toString().endsWith(".yaml"));
    }

    static Stream<Path> invalid() throws IOException {
        return corpus(CORPUS, "invalid-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void realServerAcceptsValidPolicy(Path file) throws Exception {
        if (file.startsWith(SAMPLES) && !Files.readString(file).contains("kind: HoneytokenPolicy")) {
            return; // the standalone agent's host config, not a Kubernetes object
        }
        Result result = kubectlCreate(file);
        assertThat(result.exitCode())
                .as("kubectl create --dry-run=server:%n%s", result.out())
                .isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void realServerRejectsInvalidPolicyNamingTheField(Path file) throws Exception {
        String expected = Files.readAllLines(file)
                .getFirst()
                .substring("# expect: ".length())
                .trim();
        int colon = expected.indexOf(": ");
        String field = expected.substring(0, colon);
        String message = expected.substring(colon + 2);
        Result result = kubectlCreate(file);
        assertThat(result.exitCode())
                .as("kubectl accepted it:%n%s", result.out())
                .isNotZero();
        assertThat(namesFieldWithMessage(result.out(), field, message))
                .as("the server's answer names %s with \"%s\":%n%s", field, message, result.out())
                .isTrue();
    }

    /**
     * Whether the server's text reports {@code message} for {@code field} in one of its forms: {@code field: message},
     * a CEL rule's {@code field: Invalid value: "type": message}, a schema error that repeats the field
     * ({@code field: Invalid value: "integer": field in body must be of type string}), {@code field: Too many: 33:
     * message}, or strict decoding's {@code unknown field "field"}.
     */
    static boolean namesFieldWithMessage(String out, String field, String message) {
        String f = Pattern.quote(field);
        Pattern form = Pattern.compile(f + ": (?:Invalid value: \"[^\"]*\": (?:" + f + " in body )?|Too many: \\d+: )?"
                + Pattern.quote(message));
        return form.matcher(out).find()
                || (message.equals("unknown field") && out.contains("unknown field \"" + field + "\""));
    }

    private record Result(int exitCode, String out) {}

    private static Result kubectlCreate(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(
                        KubeApi.binary("kubectl").toString(),
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "create",
                        "--dry-run=server",
                        "-f",
                        file.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new Result(process.exitValue(), out);
    }

    private static Stream<Path> corpus(Path dir, String prefix) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList().stream();
        }
    }
}
