package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Format v4's per-policy Secrets in their own namespace: written before the index that names them, deleted after the
 * index stops naming them, so an agent never meets an index whose objects are not there yet. A Secret is written only
 * when its document or generations changed (the compiler keeps both for an unchanged policy), so a policy edit rewrites
 * that policy's object alone; objects are written in the order of their generations, which the agents rely on.
 */
final class PolicyObjects {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyObjects.class);

    private final String namespace;
    private InformerEventSource<Secret, HoneytokenPolicy> cache;

    PolicyObjects(String namespace) {
        this.namespace = namespace;
    }

    String namespace() {
        return namespace;
    }

    /** Whether the objects are watched (their namespace existed when the operator started). */
    boolean watched() {
        return cache != null;
    }

    /**
     * The cache of the objects. Only a deletion by someone else triggers a reconcile (of the policy the object held),
     * which writes the object again; the operator's own writes need none.
     */
    InformerEventSource<Secret, HoneytokenPolicy> eventSource(EventSourceContext<HoneytokenPolicy> context) {
        cache = new InformerEventSource<>(
                InformerEventSourceConfiguration.from(Secret.class, HoneytokenPolicy.class)
                        .withName("policy-objects")
                        .withNamespaces(Set.of(namespace))
                        .withLabelSelector(PolicyObject.COMPONENT_LABEL + "=" + PolicyObject.COMPONENT)
                        .withOnAddFilter(secret -> false)
                        .withOnUpdateFilter((before, after) -> false)
                        .withSecondaryToPrimaryMapper(secret -> policyOf(secret))
                        .build(),
                context);
        return cache;
    }

    private static Set<ResourceID> policyOf(Secret secret) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        String policy = annotations == null ? null : annotations.get(PolicyObject.POLICY_ANNOTATION);
        return policy == null ? Set.of() : Set.of(new ResourceID(policy));
    }

    /** The stored objects, by Secret name, as the compiler compares them. */
    Map<String, PolicyObject.Stored> stored() {
        if (cache == null) {
            return Map.of();
        }
        Map<String, PolicyObject.Stored> stored = new java.util.HashMap<>();
        cache.list().forEach(secret -> {
            PolicyObject.Stored object = storedOf(secret);
            if (object != null) {
                stored.put(secret.getMetadata().getName(), object);
            }
        });
        return stored;
    }

    /** Creates or updates the objects that differ from the cached ones, oldest generation first; before the index. */
    void writeChanged(KubernetesClient client, CompilationResult result) {
        result.objects().entrySet().stream()
                .sorted(java.util.Comparator.comparingLong(e -> e.getValue().generation()))
                .forEach(entry -> {
                    String policy = entry.getKey();
                    PolicyObject.Stored object = entry.getValue();
                    String name = PolicyObject.secretName(policy);
                    Secret cached = cache.get(new ResourceID(name, namespace)).orElse(null);
                    if (cached != null && object.equals(storedOf(cached))) {
                        return;
                    }
                    Secret desired = render(name, policy, object);
                    var resource = client.secrets().inNamespace(namespace).resource(desired);
                    ResourceID primary = new ResourceID(policy);
                    // the cache is told at once, so the next reconcile compares with what was just written
                    if (cached == null) {
                        cache.handleRecentResourceCreate(primary, resource.createOr(NonDeletingOperation::update));
                    } else {
                        cache.handleRecentResourceUpdate(primary, resource.update(), cached);
                    }
                    LOG.info(
                            "policy object written policy={} object={}/{} generation={} indexGeneration={} bytes={}",
                            policy,
                            namespace,
                            name,
                            object.generation(),
                            object.indexGeneration(),
                            object.document().getBytes(StandardCharsets.UTF_8).length);
                });
    }

    private static PolicyObject.Stored storedOf(Secret secret) {
        String document = document(secret);
        return document == null
                ? null
                : PolicyObject.Stored.of(document, secret.getMetadata().getAnnotations());
    }

    /** Deletes the objects the index no longer names; after the index is written. */
    void deleteUnlisted(KubernetesClient client, CompilationResult result) {
        Set<String> listed = new java.util.HashSet<>();
        result.objects().keySet().forEach(policy -> listed.add(PolicyObject.secretName(policy)));
        cache.list()
                .filter(secret -> !listed.contains(secret.getMetadata().getName()))
                .forEach(secret -> {
                    client.secrets()
                            .inNamespace(namespace)
                            .withName(secret.getMetadata().getName())
                            .delete();
                    LOG.info(
                            "policy object deleted, the index no longer names it object={}/{} generation={}",
                            namespace,
                            secret.getMetadata().getName(),
                            result.index().generation());
                });
    }

    private Secret render(String name, String policy, PolicyObject.Stored object) {
        Map<String, String> annotations = new java.util.HashMap<>(object.annotations());
        annotations.put(PolicyObject.POLICY_ANNOTATION, policy);
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withLabels(PolicyObject.LABELS)
                .withAnnotations(annotations)
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(
                        PolicyObject.DATA_KEY,
                        Base64.getEncoder().encodeToString(object.document().getBytes(StandardCharsets.UTF_8))))
                .build();
    }

    private static String document(Secret secret) {
        String encoded = secret.getData() == null ? null : secret.getData().get(PolicyObject.DATA_KEY);
        return encoded == null ? null : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
}
