package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicySpec;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.TokenContent;
import dev.beesting.api.v1alpha1.TokenSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;

/** Builds policies for unit tests. */
final class Policies {
    private Policies() {}

    static HoneytokenPolicy policy(
            String name, String created, Map<String, String> namespaceLabels, TokenSpec... tokens) {
        HoneytokenPolicy policy = new HoneytokenPolicy();
        policy.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withUid("uid-" + name)
                .withGeneration(1L)
                .withCreationTimestamp(created)
                .build());
        HoneytokenPolicySpec spec = new HoneytokenPolicySpec();
        spec.namespaceSelector = namespaceLabels == null ? null : new LabelSelector(namespaceLabels, null);
        spec.tokens = List.of(tokens);
        policy.setSpec(spec);
        return policy;
    }

    static TokenSpec literal(String path, String value) {
        return new TokenSpec(path, TokenContent.literal(value));
    }
}
