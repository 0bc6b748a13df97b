package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/** One expression of a label selector, as in Kubernetes' {@code matchExpressions}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.operator in ['In', 'NotIn'] ? (has(self.values) && size(self.values) > 0)"
                + " : (!has(self.values) || size(self.values) == 0)",
        message = PolicyRules.OPERATOR_VALUES)
public class LabelSelectorRequirement {
    /** The label key the selector applies to. */
    @Required
    @Size(max = 317)
    @ValidationRule(value = LabelSelector.KEY_RULE, message = PolicyRules.LABEL_KEY)
    @JsonPropertyDescription("The label key the selector applies to.")
    public String key;

    /** One of In, NotIn, Exists, DoesNotExist. */
    @Required
    @Size(max = 12) // "DoesNotExist"; bounds the CEL rule's estimated cost
    @ValidationRule(value = "self in ['In', 'NotIn', 'Exists', 'DoesNotExist']", message = PolicyRules.OPERATOR)
    @JsonPropertyDescription("One of In, NotIn, Exists, DoesNotExist.")
    public String operator;

    /** Values for In and NotIn; empty for Exists and DoesNotExist. */
    @Size(max = 64)
    @ValidationRule(value = LabelSelector.VALUES_RULE, message = PolicyRules.LABEL_VALUE_LIST)
    @JsonPropertyDescription("Values for In and NotIn; empty for Exists and DoesNotExist.")
    public List<@Size(max = 63) String> values;

    public LabelSelectorRequirement() {}

    public LabelSelectorRequirement(String key, String operator, List<String> values) {
        this.key = key;
        this.operator = operator;
        this.values = values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelectorRequirement that
                && Objects.equals(key, that.key)
                && Objects.equals(operator, that.operator)
                && Objects.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, operator, values);
    }
}
