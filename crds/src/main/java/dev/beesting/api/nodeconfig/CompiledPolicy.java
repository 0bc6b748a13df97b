package dev.beesting.api.nodeconfig;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.PolicyAction;
import dev.beesting.api.v1alpha1.Severity;
import java.util.List;

/**
 * One accepted HoneytokenPolicy as agents apply it.
 *
 * @param name policy name
 * @param uid policy uid
 * @param generation the policy generation compiled here (nodes report it back through the config generation)
 * @param namespaces format v1: names of the namespaces the namespace selector matched, sorted; empty in v2
 * @param namespaceSelector format v2: the policy's namespace selector, which the agent matches against the labels of
 *     the pod's namespace; null matches every namespace. Absent in v1
 * @param podSelector the policy's pod selector; null matches every pod
 * @param tokens the files to plant
 * @param severity the policy's severity
 * @param action Alert or Block
 * @param ignoreProcesses executables whose opens raise no alert
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompiledPolicy(
        String name,
        String uid,
        long generation,
        List<String> namespaces,
        LabelSelector namespaceSelector,
        LabelSelector podSelector,
        List<CompiledToken> tokens,
        Severity severity,
        PolicyAction action,
        List<String> ignoreProcesses) {

    /** A policy of format v1: the namespaces by name. */
    public CompiledPolicy(
            String name,
            String uid,
            long generation,
            List<String> namespaces,
            LabelSelector podSelector,
            List<CompiledToken> tokens,
            Severity severity,
            PolicyAction action,
            List<String> ignoreProcesses) {
        this(name, uid, generation, namespaces, null, podSelector, tokens, severity, action, ignoreProcesses);
    }

    public CompiledPolicy {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        ignoreProcesses = ignoreProcesses == null ? List.of() : List.copyOf(ignoreProcesses);
        severity = severity == null ? Severity.HIGH : severity;
        action = action == null ? PolicyAction.ALERT : action;
    }

    /** The same policy in format v2: its namespace selector instead of the names it matched today. */
    public CompiledPolicy withSelector(LabelSelector selector) {
        return new CompiledPolicy(
                name, uid, generation, List.of(), selector, podSelector, tokens, severity, action, ignoreProcesses);
    }
}
