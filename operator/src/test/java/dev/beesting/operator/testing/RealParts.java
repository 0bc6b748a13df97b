package dev.beesting.operator.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Guards for tests that need a real part (a kubectl binary). On a developer laptop a missing part skips the test
 * with the reason; with {@code CI=true} it fails it, because CI must never pass by skipping.
 */
public final class RealParts {
    private RealParts() {}

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Skips (laptop) or fails (CI) the calling test unless {@code condition} holds. */
    public static void require(boolean condition, String reason) {
        if (condition) {
            return;
        }
        if (inCi()) {
            fail("CI=true and a real part is missing: " + reason);
        }
        assumeTrue(false, reason);
    }

    /** kubectl from PATH, else from the Kubernetes binaries kube-api-test downloads ({@value KubeApi#BINARIES_ENV}). */
    public static Path kubectl() {
        Optional<Path> found = onPath("kubectl").or(RealParts::kubectlOfKubeApiTest);
        require(found.isPresent(), "needs kubectl on PATH or under $" + KubeApi.BINARIES_ENV + "/k8s/*/");
        return found.orElseThrow();
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static Optional<Path> kubectlOfKubeApiTest() {
        String dir = System.getenv(KubeApi.BINARIES_ENV);
        if (dir == null || !Files.isDirectory(Path.of(dir, "k8s"))) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(Path.of(dir, "k8s"))) {
            return versions.map(v -> v.resolve("kubectl"))
                    .filter(Files::isExecutable)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
