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
 * Compiles every live policy into one node config: format v3 (an index and one object per policy) where it can be
 * stored, v2 while some node does not read v3, v1 while some node reads neither. Pure: the same inputs always give the
 * same result, which is what makes "any reconcile recomputes everything" safe.
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
                + (formats.v3() ? emptyIndexSize() : 0)
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
                // namespaces) while those are stored, and its index entry; its own object (v3) stands alone
                long size = (formats.v2() ? policySize(NodeConfig.API_VERSION_V2, v2Form) : 0)
                        + (formats.v1() ? policySize(NodeConfig.API_VERSION, compiled) : 0)
                        + (formats.v3() ? indexEntrySize(v2Form) : 0);
                long objectSize = formats.v3() ? utf8Length(NodeConfigCodec.writePolicy(v2Form)) : 0;
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
            long generation = generation(fitting, selectors, inputs);
            DecoySettings decoy = inputs.decoy().orElse(null);
            NodeConfig v1 = new NodeConfig(NodeConfig.API_VERSION, generation, byName(fitting), decoy);
            NodeConfig v2 =
                    new NodeConfig(NodeConfig.API_VERSION_V2, generation, v2Policies(fitting, selectors), decoy);
            NodeConfigIndex index = NodeConfigIndex.of(v2);
            String json = NodeConfigCodec.write(v2);
            Optional<String> v1Json = formats.v1() ? Optional.of(NodeConfigCodec.write(v1)) : Optional.empty();
            int bytes = (formats.v2() ? utf8Length(json) : 0)
                    + v1Json.map(NodeConfigCompiler::utf8Length).orElse(0)
                    + (formats.v3() ? utf8Length(NodeConfigCodec.writeIndex(index)) : 0);
            if (bytes <= limitBytes || fitting.isEmpty()) {
                return new CompilationResult(
                        v2, json, v1, v1Json, index, formats.v3() ? objects(v2) : Map.of(), formats, bytes, outcomes);
            }
            // the estimate was short (it should not be): drop the newest fitting policy and measure again
            CompiledPolicy last = fitting.removeLast();
            outcomes.put(last.name(), tooLarge(bytes));
        }
    }

    /** Format v3: each policy's object, by Secret name. */
    private static Map<String, String> objects(NodeConfig v2) {
        Map<String, String> objects = new HashMap<>();
        v2.policies().forEach(p -> objects.put(PolicyObject.secretName(p.name()), NodeConfigCodec.writePolicy(p)));
        return objects;
    }

    private static int emptySize(String apiVersion) {
        return utf8Length(NodeConfigCodec.write(new NodeConfig(apiVersion, 0, List.of())));
    }

    private static int emptyIndexSize() {
        return utf8Length(
                NodeConfigCodec.writeIndex(new NodeConfigIndex(NodeConfigIndex.API_VERSION, 0, List.of(), null)));
    }

    private static long indexEntrySize(CompiledPolicy policy) {
        return utf8Length(NodeConfigCodec.writeIndex(new NodeConfigIndex(
                        NodeConfigIndex.API_VERSION, 0, List.of(NodeConfigIndex.Entry.of(policy)), null)))
                - emptyIndexSize()
                + 4;
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

    /**
     * Same content keeps the generation; any change (or a first config) takes the next one. Content is what the v3
     * index names (every policy's v2 form by its hash, and the decoy settings) and, while v1 is stored, the v1
     * document too (a namespace label changes only v1, and the nodes that read v1 must see a new generation for it).
     */
    private static long generation(
            List<CompiledPolicy> fitting, Map<String, LabelSelector> selectors, PolicyInputs inputs) {
        Optional<NodeConfigIndex> before = inputs.currentIndex()
                .or(() -> inputs.current().filter(NodeConfig::bySelector).map(NodeConfigIndex::of));
        if (before.isEmpty()) {
            return inputs.current().map(c -> c.generation() + 1).orElse(1L);
        }
        NodeConfigIndex current = before.get();
        List<NodeConfigIndex.Entry> entries = v2Policies(fitting, selectors).stream()
                .map(NodeConfigIndex.Entry::of)
                .toList();
        boolean same = current.policies().equals(entries)
                && Objects.equals(current.decoy(), inputs.decoy().orElse(null))
                // v1 coming back (a node of an earlier release joined) needs no new generation: v1 was retired only
                // while no node read it, so the joining node has applied an older generation or none
                && (!inputs.v1Wanted()
                        || inputs.currentV1()
                                .map(v1 -> v1.policies().equals(byName(fitting)))
                                .orElse(true));
        return same ? current.generation() : current.generation() + 1;
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
