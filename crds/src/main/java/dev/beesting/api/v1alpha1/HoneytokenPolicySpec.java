package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which bait files to plant into which pods, and how to react when one is opened. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneytokenPolicySpec {
    /** Namespaces whose pods get the tokens, by their labels; empty matches all namespaces. */
    @JsonPropertyDescription("Namespaces whose pods get the tokens, by their labels; empty matches all namespaces.")
    public LabelSelector namespaceSelector;

    /** Pods that get the tokens, by their labels; empty matches all pods of the selected namespaces. */
    @JsonPropertyDescription(
            "Pods that get the tokens, by their labels; empty matches all pods of the selected namespaces.")
    public LabelSelector podSelector;

    /** The bait files; at least one, at most 32, paths unique. */
    @Required
    @Size(min = 1, max = 32)
    @ValidationRule(value = "size(self) >= 1", message = PolicyRules.AT_LEAST_ONE_TOKEN)
    @ValidationRule(
            value = "self.all(t, !has(t.path) || self.exists_one(u, has(u.path) && u.path == t.path))",
            message = PolicyRules.PATHS_UNIQUE)
    @JsonPropertyDescription("The bait files; at least one, at most 32, paths unique.")
    public List<TokenSpec> tokens;

    /** How urgent an access is: low, medium, high (default) or critical. */
    @Default("high")
    @JsonPropertyDescription("How urgent an access is: low, medium, high (default) or critical.")
    public Severity severity;

    /** Absolute paths of executables whose opens of the tokens raise no alert (for example a backup agent). */
    @Size(max = 32)
    @ValidationRule(value = "self.all(p, p.startsWith('/'))", message = PolicyRules.IGNORE_ABSOLUTE)
    @JsonPropertyDescription(
            "Absolute paths of executables whose opens of the tokens raise no alert (for example a backup agent).")
    public List<@Size(max = PolicyRules.MAX_PATH_LENGTH) String> ignoreProcesses;

    /** Alert (default) reports opens; Block also denies them where the node's detector can. */
    @Default("Alert")
    @JsonPropertyDescription("Alert (default) reports opens; Block also denies them where the node's detector can.")
    public PolicyAction action;
}
