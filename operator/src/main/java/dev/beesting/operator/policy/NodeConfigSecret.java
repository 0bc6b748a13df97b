package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node config as a Secret: rendering it and reading back what is stored. */
public final class NodeConfigSecret {
    /** Annotation holding the config generation, so it shows without decoding the data. */
    public static final String GENERATION_ANNOTATION = "beesting.dev/config-generation";

    private static final Logger LOG = LoggerFactory.getLogger(NodeConfigSecret.class);
    private static final Map<String, String> LABELS = Map.of(
            "app.kubernetes.io/name", "beesting",
            "app.kubernetes.io/component", "node-config",
            "app.kubernetes.io/managed-by", "beesting-operator");

    private NodeConfigSecret() {}

    public static Secret render(String namespace, CompilationResult result) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(NodeConfig.SECRET_NAME)
                .withNamespace(namespace)
                .withLabels(LABELS)
                .withAnnotations(Map.of(GENERATION_ANNOTATION, Long.toString(generation(result))))
                .endMetadata()
                .withType("Opaque")
                .withData(data(result))
                .build();
    }

    /**
     * The generation the Secret holds: the documents' while v2 or v1 is stored, else the v4 index's (which an edit of
     * one policy does not change, so the Secret is not written again).
     */
    private static long generation(CompilationResult result) {
        return result.formats().v2() || result.formats().v1()
                ? result.config().generation()
                : result.index().generation();
    }

    /** The v4 index where the policy objects can be stored, v2 while some node needs it, v1 likewise. */
    private static Map<String, String> data(CompilationResult result) {
        Map<String, String> data = new java.util.TreeMap<>();
        if (result.formats().v2()) {
            data.put(NodeConfig.SECRET_KEY_V2, base64(result.json()));
        }
        result.v1Json().ifPresent(v1 -> data.put(NodeConfig.SECRET_KEY, base64(v1)));
        result.indexJson().ifPresent(index -> data.put(NodeConfig.SECRET_KEY_V4, base64(index)));
        return data;
    }

    /**
     * The stored config, v2 where stored, else v1 (as an operator before v2 wrote it); a damaged one counts as an
     * empty config at its annotated generation, so the next differs.
     */
    public static Optional<NodeConfig> read(Secret secret) {
        if (secret == null) {
            return Optional.empty();
        }
        boolean v2 = has(secret, NodeConfig.SECRET_KEY_V2);
        if (!v2 && !has(secret, NodeConfig.SECRET_KEY) && has(secret, NodeConfig.SECRET_KEY_V4)) {
            return Optional.empty(); // v4 alone: see readIndex
        }
        // an unreleased v3 index alone reads as a damaged document: an empty config at its generation
        return read(secret, v2 ? NodeConfig.SECRET_KEY_V2 : NodeConfig.SECRET_KEY);
    }

    /**
     * The stored format v4 index, if the Secret has one; a damaged one counts as an empty index at the annotated
     * generation, so the next differs.
     */
    public static Optional<NodeConfigIndex> readIndex(Secret secret) {
        if (secret == null || !has(secret, NodeConfig.SECRET_KEY_V4)) {
            return Optional.empty();
        }
        try {
            return Optional.of(NodeConfigCodec.readIndex(new String(
                    Base64.getDecoder().decode(secret.getData().get(NodeConfig.SECRET_KEY_V4)),
                    StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            long generation = annotatedGeneration(secret);
            LOG.warn(
                    "stored node config index is unreadable, it will be rewritten secret={} generation={} error={}",
                    NodeConfig.SECRET_NAME,
                    generation,
                    e.getMessage());
            return Optional.of(new NodeConfigIndex(NodeConfigIndex.API_VERSION, generation, 0, List.of(), null));
        }
    }

    private static boolean has(Secret secret, String key) {
        return secret.getData() != null && secret.getData().get(key) != null;
    }

    /** The stored v1 document, if the Secret has one. */
    public static Optional<NodeConfig> readV1(Secret secret) {
        if (secret == null || !has(secret, NodeConfig.SECRET_KEY)) {
            return Optional.empty();
        }
        return read(secret, NodeConfig.SECRET_KEY);
    }

    private static Optional<NodeConfig> read(Secret secret, String key) {
        String encoded = secret.getData() == null ? null : secret.getData().get(key);
        try {
            if (encoded == null) {
                throw new IllegalArgumentException("key " + key + " is missing");
            }
            return Optional.of(
                    NodeConfigCodec.read(new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            long generation = annotatedGeneration(secret);
            LOG.warn(
                    "stored node config is unreadable, it will be rewritten secret={} generation={} error={}",
                    NodeConfig.SECRET_NAME,
                    generation,
                    e.getMessage());
            return Optional.of(new NodeConfig(NodeConfig.API_VERSION, generation, java.util.List.of()));
        }
    }

    /** Whether the stored Secret already holds exactly what {@code desired} holds. */
    static boolean sameContent(Secret actual, Secret desired) {
        return actual.getData() != null
                && actual.getData().equals(desired.getData())
                && actual.getMetadata().getAnnotations() != null
                && desired.getMetadata()
                        .getAnnotations()
                        .get(GENERATION_ANNOTATION)
                        .equals(actual.getMetadata().getAnnotations().get(GENERATION_ANNOTATION));
    }

    private static long annotatedGeneration(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        try {
            return annotations == null ? 0 : Long.parseLong(annotations.getOrDefault(GENERATION_ANNOTATION, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
