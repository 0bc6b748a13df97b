package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicySpec;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.TokenSpec;
import dev.beesting.api.v1alpha1.validation.FieldError;
import dev.beesting.api.v1alpha1.validation.HoneytokenPolicyValidator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Compiles every live policy into one node config: format v4 (an index and one object per policy) where it can be
 * stored, v2 while some node does not read v4, v1 while some node reads neither. Pure: the same inputs always give the
 * same result, which is what makes "any reconcile recomputes everything" safe.
 *
 * <p>Generations: content that stays the same keeps its generation. A change takes the next generation for each v4
 * write, in the order the writes are made (each changed object by policy name, then the index when it changes, or
 * when nothing else of v4 does), and the v1 and v2 documents carry the last; see {@link NodeConfigIndex} for why.
 */
public final class NodeConfigCompiler {
    /** Kubernetes rejects Secrets whose data exceeds 1 MiB. */
    public static final int SECRET_LIMIT_BYTES = 1024 * 1024;

    // older policies keep their place when the config is full; the newest one that does not fit is rejected
    private static final Comparator<HoneytokenPolicy> OLDEST_FIRST = Comparator.comparing((HoneytokenPolicy p) ->
                    Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(p -> p.getMetadata().getName());

    private final int limitBytes;

    public NodeConfigCompiler() {
        this(SECRET_LIMIT_BYTES);
    }

    public NodeConfigCompiler(int limitBytes) {
        this.limitBytes = limitBytes;
    }

    public CompilationResult compile(PolicyInputs inputs) {
        Map<String, PolicyOutcome> outcomes = new HashMap<>();
        List<CompiledPolicy> fitting = new ArrayList<>(); // v1 form: namespaces by name
        Map<String, LabelSelector> selectors = new HashMap<>();
        StoredFormats formats = inputs.formats();
        long estimate = (formats.v2() ? emptySize(NodeConfig.API_VERSION_V2) : 0)
                + (formats.v1() ? emptySize(NodeConfig.API_VERSION) : 0)
                + (formats.v4() ? emptyIndexSize() : 0)
                + 48;
        NamespaceIndex namespaces = new NamespaceIndex(inputs.namespaceLabels());
        for (HoneytokenPolicy policy :
                inputs.policies().stream().sorted(OLDEST_FIRST).toList()) {
            String name = policy.getMetadata().getName();
            PolicyOutcome outcome = compileOne(policy, inputs, namespaces);
            if (outcome instanceof PolicyOutcome.Compiled(CompiledPolicy compiled)) {
                LabelSelector selector = policy.getSpec().namespaceSelector;
                CompiledPolicy v2Form = compiled.withSelector(selector);
                // what the policy adds to the one Secret: its v2 form and its v1 form (which grows with the
                // namespaces) while those are stored, and its index entry; its own object (v4) stands alone
                long size = (formats.v2() ? policySize(NodeConfig.API_VERSION_V2, v2Form) : 0)
                        + (formats.v1() ? policySize(NodeConfig.API_VERSION, compiled) : 0)
                        + (formats.v4() ? utf8Length(name) + 3 : 0);
                long objectSize = formats.v4() ? utf8Length(NodeConfigCodec.writePolicy(v2Form)) : 0;
                if (objectSize > limitBytes) {
                    outcome = objectTooLarge(objectSize);
                } else if (estimate + size > limitBytes) {
                    outcome = tooLarge(estimate + size);
                } else {
                    estimate += size;
                    fitting.add(compiled);
                    selectors.put(name, selector);
                }
            }
            outcomes.put(name, outcome);
        }
        while (true) {
            DecoySettings decoy = inputs.decoy().orElse(null);
            List<CompiledPolicy> v2Policies = v2Policies(fitting, selectors);
            Writes writes = writes(v2Policies, byName(fitting), decoy, inputs);
            long generation = writes.generation();
            NodeConfig v1 = new NodeConfig(NodeConfig.API_VERSION, generation, byName(fitting), decoy);
            NodeConfig v2 = new NodeConfig(NodeConfig.API_VERSION_V2, generation, v2Policies, decoy);
            String json = NodeConfigCodec.write(v2);
            Optional<String> v1Json = formats.v1() ? Optional.of(NodeConfigCodec.write(v1)) : Optional.empty();
            int bytes = (formats.v2() ? utf8Length(json) : 0)
                    + v1Json.map(NodeConfigCompiler::utf8Length).orElse(0)
                    + (formats.v4() ? utf8Length(NodeConfigCodec.writeIndex(writes.index())) : 0);
            if (bytes <= limitBytes || fitting.isEmpty()) {
                return new CompilationResult(
                        v2, json, v1, v1Json, writes.index(), writes.objects(), formats, bytes, outcomes);
            }
            // the estimate was short (it should not be): drop the newest fitting policy and measure again
            CompiledPolicy last = fitting.removeLast();
            outcomes.put(last.name(), tooLarge(bytes));
        }
    }

    /**
     * The generation a compilation is at and, with v4, the index and the objects to store.
     *
     * @param index the v4 index, null when v4 is not stored
     * @param objects policy name to its v4 object, empty when v4 is not stored
     */
    private record Writes(long generation, NodeConfigIndex index, Map<String, PolicyObject.Stored> objects) {}

    /**
     * Same content keeps the generation; any change takes the next one (v2 alone) or one per v4 write. Content is
     * every policy's v2 form, the decoy settings and, while v1 is stored, the v1 document too (a namespace label
     * changes only v1, and the nodes that read v1 must see a new generation for it; with v4 stored the index is then
     * written again, so that v4 nodes reach the same generation).
     */
    private static Writes writes(
            List<CompiledPolicy> v2Policies,
            List<CompiledPolicy> v1Policies,
            DecoySettings decoy,
            PolicyInputs inputs) {
        Optional<StoredConfig> before = StoredConfig.of(
                inputs.current().filter(NodeConfig::bySelector), inputs.currentIndex(), inputs.currentObjects());
        // each policy's document, written once: compared with its stored object, and hashed to compare with any format
        Map<String, String> documents = new java.util.TreeMap<>();
        v2Policies.forEach(p -> documents.put(p.name(), NodeConfigCodec.writePolicy(p)));
        Map<String, String> hashes = new java.util.TreeMap<>();
        documents.forEach((name, document) -> hashes.put(name, NodeConfigCodec.sha256(document)));
        boolean same = before.isPresent()
                && before.get().hashes().equals(hashes)
                && Objects.equals(before.get().decoy(), decoy)
                // v1 coming back (a node of an earlier release joined) needs no new generation: v1 was retired only
                // while no node read it, so the joining node has applied an older generation or none
                && (!inputs.v1Wanted()
                        || inputs.currentV1()
                                .map(v1 -> v1.policies().equals(v1Policies))
                                .orElse(true));
        long newest = inputs.newestGeneration();
        if (!inputs.formats().v4()) {
            return new Writes(same ? before.get().generation() : newest + 1, null, Map.of());
        }
        List<String> names = v2Policies.stream().map(CompiledPolicy::name).toList();
        Optional<NodeConfigIndex> storedIndex = inputs.currentIndex();
        boolean indexChanged = storedIndex.isEmpty()
                || !storedIndex.get().policies().equals(names)
                || !Objects.equals(storedIndex.get().decoy(), decoy);
        long changedObjects = documents.entrySet().stream()
                .filter(e -> !stored(inputs, e.getKey())
                        .map(o -> o.document().equals(e.getValue()))
                        .orElse(false))
                .count();
        boolean writeIndex = indexChanged || changedObjects == 0;
        if (same && changedObjects == 0 && !indexChanged) {
            return new Writes(before.get().generation(), storedIndex.get(), storedObjects(inputs, names));
        }
        long indexGeneration =
                writeIndex ? newest + changedObjects + 1 : storedIndex.get().generation();
        long next = newest;
        Map<String, PolicyObject.Stored> objects = new java.util.TreeMap<>();
        for (var entry : documents.entrySet()) {
            Optional<PolicyObject.Stored> old = stored(inputs, entry.getKey());
            objects.put(
                    entry.getKey(),
                    old.isPresent() && old.get().document().equals(entry.getValue())
                            ? old.get()
                            : new PolicyObject.Stored(entry.getValue(), ++next, indexGeneration));
        }
        if (!writeIndex) {
            return new Writes(next, storedIndex.get(), objects);
        }
        long newestObject = objects.values().stream()
                .mapToLong(PolicyObject.Stored::generation)
                .max()
                .orElse(0);
        return new Writes(
                indexGeneration,
                new NodeConfigIndex(NodeConfigIndex.API_VERSION, indexGeneration, newestObject, names, decoy),
                objects);
    }

    private static Optional<PolicyObject.Stored> stored(PolicyInputs inputs, String policy) {
        return Optional.ofNullable(inputs.currentObjects().get(PolicyObject.secretName(policy)));
    }

    private static Map<String, PolicyObject.Stored> storedObjects(PolicyInputs inputs, List<String> names) {
        Map<String, PolicyObject.Stored> objects = new java.util.TreeMap<>();
        names.forEach(name -> objects.put(name, stored(inputs, name).orElseThrow()));
        return objects;
    }

    private static int emptySize(String apiVersion) {
        return utf8Length(NodeConfigCodec.write(new NodeConfig(apiVersion, 0, List.of())));
    }

    private static int emptyIndexSize() {
        return utf8Length(NodeConfigCodec.writeIndex(
                new NodeConfigIndex(NodeConfigIndex.API_VERSION, Long.MAX_VALUE, Long.MAX_VALUE, List.of(), null)));
    }

    private static long policySize(String apiVersion, CompiledPolicy policy) {
        return utf8Length(NodeConfigCodec.write(new NodeConfig(apiVersion, 0, List.of(policy))))
                - emptySize(apiVersion)
                + 4;
    }

    private PolicyOutcome.Rejected objectTooLarge(long bytes) {
        return new PolicyOutcome.Rejected(
                PolicyConditions.CONFIG_TOO_LARGE,
                "the policy's node configuration would be " + bytes + " bytes, over the limit of " + limitBytes
                        + " bytes of a Secret; the policy is left out, the other policies are unaffected");
    }

    private PolicyOutcome.Rejected tooLarge(long bytes) {
        return new PolicyOutcome.Rejected(
                PolicyConditions.CONFIG_TOO_LARGE,
                "the node configuration would be " + bytes + " bytes with this policy, over the limit of " + limitBytes
                        + " bytes of a Secret; the policy is left out, the other policies are unaffected");
    }

    private static PolicyOutcome compileOne(HoneytokenPolicy policy, PolicyInputs inputs, NamespaceIndex index) {
        HoneytokenPolicySpec spec = policy.getSpec();
        List<FieldError> errors = HoneytokenPolicyValidator.validate(spec);
        if (!errors.isEmpty()) {
            return new PolicyOutcome.Rejected(PolicyConditions.INVALID_SPEC, join(errors));
        }
        errors = SecretReferences.unresolved(spec, inputs.operatorNamespace(), inputs.secretData());
        if (!errors.isEmpty()) {
            return new PolicyOutcome.Rejected(PolicyConditions.SECRET_REFERENCE_UNRESOLVED, join(errors));
        }
        List<String> namespaces = index.matching(spec.namespaceSelector);
        List<CompiledToken> tokens = spec.tokens.stream()
                .map(token -> token(token, inputs.secretData()))
                .toList();
        return new PolicyOutcome.Compiled(new CompiledPolicy(
                policy.getMetadata().getName(),
                policy.getMetadata().getUid(),
                Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L),
                namespaces,
                spec.podSelector,
                tokens,
                spec.severity,
                spec.action,
                spec.ignoreProcesses));
    }

    private static CompiledToken token(TokenSpec token, Map<String, Map<String, String>> secrets) {
        var content = token.content;
        String value = content.secretKeyRef == null
                ? content.value
                : secrets.get(content.secretKeyRef.name).get(content.secretKeyRef.key);
        return new CompiledToken(token.path, token.mode, value, content.template, token.decoyServer);
    }

    private static List<CompiledPolicy> byName(List<CompiledPolicy> policies) {
        return policies.stream()
                .sorted(Comparator.comparing(CompiledPolicy::name))
                .toList();
    }

    private static List<CompiledPolicy> v2Policies(List<CompiledPolicy> fitting, Map<String, LabelSelector> selectors) {
        return byName(fitting).stream()
                .map(p -> p.withSelector(selectors.get(p.name())))
                .toList();
    }

    private static String join(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).distinct().collect(Collectors.joining("; "));
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
