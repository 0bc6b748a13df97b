package dev.beesting.agent.tokens;

import dev.beesting.agent.detect.AccessAction;
import dev.beesting.agent.model.Workload;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.CompiledToken;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelectors;
import dev.beesting.api.v1alpha1.PolicyAction;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Which policies of the current node config select a pod, and which tokens follow from them. Format v1 names the
 * namespaces of each policy; format v2 carries its namespace selector, matched here against the labels of the pod's
 * namespace as the node sees them (a namespace not seen yet is known by its name label alone).
 */
final class PolicyMatcher {
    private final Supplier<NodeConfig> config;
    private final NamespaceLabelSource namespaces;

    PolicyMatcher(Supplier<NodeConfig> config, NamespaceLabelSource namespaces) {
        this.config = config;
        this.namespaces = namespaces;
    }

    /** The policies of the current config that select this pod. */
    List<CompiledPolicy> matching(Workload pod) {
        NodeConfig current = config.get();
        Predicate<CompiledPolicy> inNamespace;
        if (current.bySelector()) {
            Map<String, String> labels = namespaces.labelsOf(pod.namespace());
            inNamespace = p -> LabelSelectors.matches(p.namespaceSelector(), labels);
        } else {
            inNamespace = p -> p.namespaces().contains(pod.namespace());
        }
        return current.policies().stream()
                .filter(inNamespace)
                .filter(p -> LabelSelectors.matches(p.podSelector(), pod.labels()))
                .toList();
    }

    /** The tokens a pod should have, by path; when two policies name the same path the first one wins. */
    Map<String, WantedToken> wanted(Workload pod) {
        Map<String, WantedToken> wanted = new LinkedHashMap<>();
        for (CompiledPolicy policy : matching(pod)) {
            for (CompiledToken token : policy.tokens()) {
                wanted.putIfAbsent(token.path(), new WantedToken(policy, token));
            }
        }
        return wanted;
    }

    long generation() {
        return config.get().generation();
    }

    /** The policies of the current config by name. */
    Map<String, CompiledPolicy> byName() {
        Map<String, CompiledPolicy> policies = new HashMap<>();
        config.get().policies().forEach(p -> policies.put(p.name(), p));
        return policies;
    }

    /** A token of a policy that selects the container. */
    record WantedToken(CompiledPolicy policy, CompiledToken token) {}

    static AccessAction action(CompiledPolicy policy) {
        return policy.action() == PolicyAction.BLOCK ? AccessAction.BLOCK : AccessAction.ALERT;
    }

    /** A policy that left the config while its container still runs keeps alerting under its name until reconciled. */
    static CompiledPolicy orphanPolicy(String name) {
        return new CompiledPolicy(name, null, 0, List.of(), null, List.of(), null, null, List.of());
    }
}
