package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
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
 * Compiles every live policy into one node config, in format v2 and, while some node still reads it, v1. Pure: the same inputs always give the same result, which is what
 * makes "any reconcile recomputes everything" safe.
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
        boolean v1Wanted = inputs.v1Wanted();
        long estimate = emptySize(NodeConfig.API_VERSION_V2) + (v1Wanted ? emptySize(NodeConfig.API_VERSION) : 0) + 48;
        NamespaceIndex namespaces = new NamespaceIndex(inputs.namespaceLabels());
        for (HoneytokenPolicy policy :
                inputs.policies().stream().sorted(OLDEST_FIRST).toList()) {
            String name = policy.getMetadata().getName();
            PolicyOutcome outcome = compileOne(policy, inputs, namespaces);
            if (outcome instanceof PolicyOutcome.Compiled(CompiledPolicy compiled)) {
                LabelSelector selector = policy.getSpec().namespaceSelector;
                // a policy costs its v2 form, and its v1 form (which grows with the namespaces) while v1 is stored
                long size = policySize(NodeConfig.API_VERSION_V2, compiled.withSelector(selector))
                        + (v1Wanted ? policySize(NodeConfig.API_VERSION, compiled) : 0);
                if (estimate + size > limitBytes) {
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
            String json = NodeConfigCodec.write(v2);
            Optional<String> v1Json = v1Wanted ? Optional.of(NodeConfigCodec.write(v1)) : Optional.empty();
            int bytes = utf8Length(json)
                    + v1Json.map(NodeConfigCompiler::utf8Length).orElse(0);
            if (bytes <= limitBytes || fitting.isEmpty()) {
                return new CompilationResult(v2, json, v1, v1Json, bytes, outcomes);
            }
            // the estimate was short (it should not be): drop the newest fitting policy and measure again
            CompiledPolicy last = fitting.removeLast();
            outcomes.put(last.name(), tooLarge(bytes));
        }
    }

    private static int emptySize(String apiVersion) {
        return utf8Length(NodeConfigCodec.write(new NodeConfig(apiVersion, 0, List.of())));
    }

    private static long policySize(String apiVersion, CompiledPolicy policy) {
        return utf8Length(NodeConfigCodec.write(new NodeConfig(apiVersion, 0, List.of(policy))))
                - emptySize(apiVersion)
                + 4;
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
     * Same content keeps the generation; any change (or a first config) takes the next one. Content is the v2
     * document and, while v1 is stored, the v1 document too (a namespace label changes only v1, and the nodes that
     * read v1 must see a new generation for it).
     */
    private static long generation(
            List<CompiledPolicy> fitting, Map<String, LabelSelector> selectors, PolicyInputs inputs) {
        if (inputs.current().isEmpty()) {
            return 1L;
        }
        NodeConfig current = inputs.current().get();
        boolean same = current.bySelector()
                && current.policies().equals(v2Policies(fitting, selectors))
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
