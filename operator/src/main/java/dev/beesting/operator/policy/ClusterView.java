package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.HoneytokenAlert;
import dev.beesting.api.v1alpha1.HoneytokenNode;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.SecretKeyRef;
import dev.beesting.operator.decoy.DecoySecrets;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Reads the informer caches a reconcile needs; no API calls. */
final class ClusterView {
    static final String NAME_LABEL = "kubernetes.io/metadata.name";

    private final String operatorNamespace;
    private final PolicyObjects policyObjects;
    private final String clusterName;
    private final NodeConfigDependentResource nodeConfig;
    private final InformerEventSource<Namespace, HoneytokenPolicy> namespaces;
    private final InformerEventSource<HoneytokenNode, HoneytokenPolicy> nodes;
    private final InformerEventSource<HoneytokenAlert, HoneytokenPolicy> alerts;

    ClusterView(
            String operatorNamespace,
            PolicyObjects policyObjects,
            String clusterName,
            NodeConfigDependentResource nodeConfig,
            InformerEventSource<Namespace, HoneytokenPolicy> namespaces,
            InformerEventSource<HoneytokenNode, HoneytokenPolicy> nodes,
            InformerEventSource<HoneytokenAlert, HoneytokenPolicy> alerts) {
        this.operatorNamespace = operatorNamespace;
        this.policyObjects = policyObjects;
        this.clusterName = clusterName;
        this.nodeConfig = nodeConfig;
        this.namespaces = namespaces;
        this.nodes = nodes;
        this.alerts = alerts;
    }

    PolicyInputs inputs(Stream<HoneytokenPolicy> policies) {
        List<HoneytokenPolicy> live = policies.filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .toList();
        Map<String, Map<String, String>> labels = new HashMap<>();
        namespaces.list().forEach(ns -> labels.put(ns.getMetadata().getName(), labelsOf(ns)));
        Map<String, Map<String, String>> secrets = new HashMap<>();
        nodeConfig
                .secrets()
                // the node config is the output; referencing it would feed the config into itself
                .filter(s -> !NodeConfig.SECRET_NAME.equals(s.getMetadata().getName()))
                // only Secrets an administrator marked as token sources may be copied into pods
                .filter(s -> s.getMetadata().getLabels() != null
                        && "true".equals(s.getMetadata().getLabels().get(SecretKeyRef.TOKEN_SOURCE_LABEL)))
                .forEach(s -> secrets.put(s.getMetadata().getName(), decodedData(s)));
        return new PolicyInputs(
                operatorNamespace,
                live,
                labels,
                secrets,
                nodeConfig.stored().flatMap(NodeConfigSecret::read),
                nodeConfig.stored().flatMap(NodeConfigSecret::readIndex),
                policyObjects.stored(),
                formats(),
                nodeConfig.stored().flatMap(NodeConfigSecret::readV1),
                decoy());
    }

    /**
     * Which formats to store. v4 needs its namespace (an administrator's choice: without it the operator stores v2 as
     * before); an older format stays stored while some node's agent has not reported reading a newer one (an agent of
     * an earlier release, during an upgrade or on a node left behind), until it does or its HoneytokenNode goes.
     */
    StoredFormats formats() {
        // a namespace being deleted refuses new Secrets: store v2 as if it were gone
        boolean v4Possible = policyObjects.watched()
                && namespaces
                        .get(new ResourceID(policyObjects.namespace()))
                        .filter(ns -> ns.getMetadata().getDeletionTimestamp() == null)
                        .isPresent();
        // v3 (never released) read v2 too
        Set<String> v2OrNewer = Set.of(NodeConfig.FORMAT_V2, NodeConfig.FORMAT_V3, NodeConfig.FORMAT_V4);
        boolean beforeV2 = nodes.list().anyMatch(node -> !v2OrNewer.contains(format(node)));
        boolean beforeV4 = nodes.list().anyMatch(node -> !NodeConfig.FORMAT_V4.equals(format(node)));
        return StoredFormats.of(v4Possible, beforeV2, beforeV4);
    }

    private static String format(HoneytokenNode node) {
        return node.getStatus() == null || node.getStatus().configFormat == null ? "" : node.getStatus().configFormat;
    }

    /** The decoy settings agents get: from the decoy's Secrets, once its key exists. */
    private Optional<DecoySettings> decoy() {
        return DecoySecrets.settings(
                nodeConfig.secret(DecoySecrets.KEY_SECRET).orElse(null),
                nodeConfig.secret(DecoySecrets.TLS_SECRET).orElse(null),
                "https://" + DecoySecrets.SERVICE + "." + operatorNamespace + ".svc",
                clusterName);
    }

    /** Nodes whose applied config generation is at least {@code since}. */
    NodeReadiness readiness(Long since) {
        List<HoneytokenNode> all = nodes.list().toList();
        Map<String, Integer> skipped = new HashMap<>();
        all.forEach(node ->
                NodeToPolicyMapper.skipped(node).forEach((policy, n) -> skipped.merge(policy, n, Integer::sum)));
        if (since == null) {
            return new NodeReadiness(0, all.size(), List.of(), skipped);
        }
        List<String> pending = new ArrayList<>();
        for (HoneytokenNode node : all) {
            Long applied = NodeToPolicyMapper.appliedGeneration(node);
            if (applied == null || applied < since || !NodeToPolicyMapper.protecting(node)) {
                pending.add(node.getMetadata().getName());
            }
        }
        pending.sort(null);
        return new NodeReadiness(all.size() - pending.size(), all.size(), pending, skipped);
    }

    AlertTally alerts(String policy) {
        return AlertTally.of(alerts.byIndex(AlertToPolicyMapper.INDEX, policy));
    }

    /** The API server sets kubernetes.io/metadata.name on every namespace; add it where a test server did not. */
    private static Map<String, String> labelsOf(Namespace namespace) {
        Map<String, String> labels =
                new HashMap<>(Objects.requireNonNullElse(namespace.getMetadata().getLabels(), Map.of()));
        labels.putIfAbsent(NAME_LABEL, namespace.getMetadata().getName());
        return labels;
    }

    private static Map<String, String> decodedData(Secret secret) {
        Map<String, String> data = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach((key, value) -> data.put(
                            key,
                            value == null
                                    ? ""
                                    : new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        }
        // stringData shows only where the server does not fold it into data on write (the mock server)
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }
}
