package dev.beesting.e2e;

import dev.beesting.agent.testing.RealParts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builds a kustomization of {@code config/} with {@code kubectl kustomize} and parses every object. */
final class Kustomize {
    static final Path CONFIG = Path.of("../config");

    private Kustomize() {}

    static List<HasMetadata> build(String kustomization) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(
                            "kubectl",
                            "kustomize",
                            CONFIG.resolve(kustomization).toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            RealParts.require(false, "kubectl is not installed: " + e.getMessage());
            throw e;
        }
        byte[] yaml = process.getInputStream().readAllBytes();
        if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("kubectl kustomize " + kustomization + " failed");
        }
        Object parsed = Serialization.unmarshal(new ByteArrayInputStream(yaml));
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) parsed);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
