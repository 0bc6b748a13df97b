package dev.beesting.operator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real API server only (tag {@code real-kube-api}, run by {@code -Pkube-api-test}): the generated CRDs and the whole policy corpus go through a real kube-apiserver,
 * so its own schema and CEL evaluation accept every {@code valid-*} file and reject every {@code invalid-*} file with
 * the expected message. The mock server cannot do this (it evaluates no CEL).
 */
@Tag(KubeApi.REAL_ONLY_TAG)
class RealApiServerCorpusIT {
    private static final Path CORPUS = Path.of("../crds/src/test/resources/policies");
    private static KubeApi api;

    @BeforeAll
    static void start() {
        assertThat(KubeApi.realServerSelected())
                .as("a real API server (-Pkube-api-test)")
                .isTrue();
        api = KubeApi.start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static Stream<Path> valid() throws IOException {
        return corpus("valid-");
    }

    static Stream<Path> invalid() throws IOException {
        return corpus("invalid-");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void realServerAcceptsValidPolicy(Path file) throws IOException {
        for (GenericKubernetesResource policy : load(file)) {
            assertThat(api.client().resource(policy).create().getMetadata().getUid())
                    .isNotBlank();
            api.client().resource(policy).delete();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void realServerRejectsInvalidPolicyNamingTheField(Path file) throws IOException {
        String expected = Files.readAllLines(file)
                .getFirst()
                .substring("# expect: ".length())
                .trim();
        GenericKubernetesResource policy = load(file).getFirst();
        assertThatThrownBy(() -> api.client().resource(policy).create())
                .isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining(expected);
    }

    private static List<GenericKubernetesResource> load(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return api.client().load(in).items().stream()
                    .filter(item -> "HoneytokenPolicy".equals(item.getKind()))
                    .map(item -> (GenericKubernetesResource) item)
                    .toList();
        }
    }

    private static Stream<Path> corpus(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix)).sorted().toList().stream();
        }
    }
}
