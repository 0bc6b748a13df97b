package dev.beesting.operator.testing;

import static org.awaitility.Awaitility.await;

import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenNodeStatus;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.SecretKeyRef;
import dev.beesting.operator.BeestingOperator;
import dev.beesting.operator.OperatorSettings;
import dev.beesting.operator.policy.NodeConfigSecret;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A test API server with the operator running against it, plus the helpers the integration tests share. */
public final class OperatorHarness implements AutoCloseable {
    public static final String NAMESPACE = OperatorSettings.DEFAULT_NAMESPACE;
    public static final Duration PATIENCE = Duration.ofSeconds(20);

    private final KubeApi api;
    private final BeestingOperator operator;

    private OperatorHarness(KubeApi api, BeestingOperator operator) {
        this.api = api;
        this.operator = operator;
    }

    public static OperatorHarness start() {
        return start(OperatorSettings.forNamespace(NAMESPACE));
    }

    public static OperatorHarness start(OperatorSettings settings) {
        return start(settings, UnaryOperator.identity());
    }

    /** Starts the operator with its own client derived from the test's (for example one that records requests). */
    public static OperatorHarness start(OperatorSettings settings, UnaryOperator<KubernetesClient> operatorClient) {
        KubeApi api = KubeApi.start(settings.namespace());
        try {
            return new OperatorHarness(
                    api, new BeestingOperator(operatorClient.apply(api.client()), settings, Clock.systemUTC()).start());
        } catch (RuntimeException e) {
            api.close();
            throw e;
        }
    }

    public KubernetesClient client() {
        return api.client();
    }

    public KubeApi api() {
        return api;
    }

    public BeestingOperator operator() {
        return operator;
    }

    /** Creates every object of a YAML resource (multi-document) of the test class path. */
    public List<HasMetadata> apply(String resource) {
        try (InputStream in = OperatorHarness.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return create(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Creates every object of a YAML file (multi-document). */
    public List<HasMetadata> apply(java.nio.file.Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return create(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Creates each object, or updates it where the cluster has it already (a real one starts with kube-system). */
    private List<HasMetadata> create(InputStream in) {
        List<HasMetadata> items = client().load(in).items();
        items.forEach(item -> client().resource(item).createOr(existing -> existing.update()));
        return items;
    }

    public HoneytokenPolicy policy(String yaml) {
        HoneytokenPolicy policy = Serialization.unmarshal(yaml, HoneytokenPolicy.class);
        return client().resource(policy).create();
    }

    public Namespace namespace(String name, Map<String, String> labels) {
        return client().resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .build())
                .create();
    }

    /**
     * A HoneytokenNode as a node's agent reports itself: {@code configFormat} v2 for an agent that reads v2, null
     * for one of an earlier release that reads only v1.
     */
    public void node(String name, String configFormat) {
        HoneytokenNode node = new HoneytokenNode();
        node.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(name)
                .build());
        HoneytokenNode stored = client().resource(node).createOr(existing -> existing.update());
        HoneytokenNodeStatus status = new HoneytokenNodeStatus();
        status.configFormat = configFormat;
        status.configGeneration = 0L;
        stored.setStatus(status);
        client().resource(stored).updateStatus();
    }

    /** The stored v1 document, if the operator stores one beside v2. */
    public Optional<NodeConfig> nodeConfigV1() {
        return NodeConfigSecret.readV1(client().secrets()
                .inNamespace(NAMESPACE)
                .withName(NodeConfig.SECRET_NAME)
                .get());
    }

    public void relabel(String namespace, Map<String, String> labels) {
        client().namespaces().withName(namespace).edit(ns -> {
            ns.getMetadata().setLabels(new HashMap<>(labels));
            return ns;
        });
    }

    /** A Secret of the operator namespace that policies may use as token content (labelled as a token source). */
    public Secret secret(String name, Map<String, String> data) {
        return secret(name, data, Map.of(SecretKeyRef.TOKEN_SOURCE_LABEL, "true"));
    }

    public Secret secret(String name, Map<String, String> data, Map<String, String> labels) {
        return client().resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .withNamespace(NAMESPACE)
                        .withLabels(labels)
                        .endMetadata()
                        .withData(encode(data))
                        .build())
                .createOr(existing -> existing.update());
    }

    public void rotate(String name, Map<String, String> data) {
        client().secrets().inNamespace(NAMESPACE).withName(name).edit(s -> {
            s.setData(encode(data));
            return s;
        });
    }

    /** The stored node config in any format (v3 assembled from its policy objects). */
    public Optional<NodeConfig> nodeConfig() {
        return StoredNodeConfig.read(client(), NAMESPACE);
    }

    /** Waits until the stored v1 document satisfies {@code condition}, and returns it. */
    public NodeConfig awaitConfigV1(Predicate<NodeConfig> condition) {
        return await().atMost(PATIENCE)
                .until(() -> nodeConfigV1().filter(condition).orElse(null), config -> config != null);
    }

    /** Waits until the stored node config satisfies {@code condition}, and returns it. */
    public NodeConfig awaitConfig(Predicate<NodeConfig> condition) {
        return await().atMost(PATIENCE)
                .until(() -> nodeConfig().filter(condition).orElse(null), config -> config != null);
    }

    public HoneytokenPolicy awaitPolicy(String name, Predicate<HoneytokenPolicy> condition) {
        return await().atMost(PATIENCE)
                .until(
                        () -> client().resources(HoneytokenPolicy.class)
                                .withName(name)
                                .get(),
                        policy -> policy != null && condition.test(policy));
    }

    public static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static Map<String, String> encode(Map<String, String> data) {
        Map<String, String> encoded = new HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return encoded;
    }

    @Override
    public void close() {
        try {
            operator.close();
        } finally {
            api.close();
        }
    }
}
