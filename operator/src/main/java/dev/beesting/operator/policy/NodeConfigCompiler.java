package dev.beesting.operator.policy;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigCodec;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicySpec;
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
import java.util.stream.Collectors;

/**
 * Compiles every live policy into one node config. Pure: the same inputs always give the same result, which is what
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
        List<CompiledPolicy> fitting = new ArrayList<>();
        int emptySize = utf8Length(NodeConfigCodec.write(new NodeConfig(NodeConfig.API_VERSION, 0, List.of())));
        long estimate = emptySize + 24; // room for a longer generation number
        NamespaceIndex namespaces = new NamespaceIndex(inputs.namespaceLabels());
        for (HoneytokenPolicy policy :
                inputs.policies().stream().sorted(OLDEST_FIRST).toList()) {
            String name = policy.getMetadata().getName();
            PolicyOutcome outcome = compileOne(policy, inputs, namespaces);
            if (outcome instanceof PolicyOutcome.Compiled(CompiledPolicy compiled)) {
                int size =
                        utf8Length(NodeConfigCodec.write(new NodeConfig(NodeConfig.API_VERSION, 0, List.of(compiled))))
                                - emptySize
                                + 4;
                if (estimate + size > limitBytes) {
                    outcome = tooLarge(estimate + size);
                } else {
                    estimate += size;
                    fitting.add(compiled);
                }
            }
            outcomes.put(name, outcome);
        }
        while (true) {
            NodeConfig config = withGeneration(fitting, inputs);
            String json = NodeConfigCodec.write(config);
            int bytes = utf8Length(json);
            if (bytes <= limitBytes || fitting.isEmpty()) {
                return new CompilationResult(config, json, bytes, outcomes);
            }
            // the estimate was short (it should not be): drop the newest fitting policy and measure again
            CompiledPolicy last = fitting.removeLast();
            outcomes.put(last.name(), tooLarge(bytes));
        }
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

    /** Same content keeps the generation; any change (or a first config) takes the next one. */
    private static NodeConfig withGeneration(List<CompiledPolicy> fitting, PolicyInputs inputs) {
        List<CompiledPolicy> byName = fitting.stream()
                .sorted(Comparator.comparing(CompiledPolicy::name))
                .toList();
        DecoySettings decoy = inputs.decoy().orElse(null);
        long generation = inputs.current()
                .map(current -> current.policies().equals(byName) && Objects.equals(current.decoy(), decoy)
                        ? current.generation()
                        : current.generation() + 1)
                .orElse(1L);
        return new NodeConfig(NodeConfig.API_VERSION, generation, byName, decoy);
    }

    private static String join(List<FieldError> errors) {
        return errors.stream().map(FieldError::toString).distinct().collect(Collectors.joining("; "));
    }

    private static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
