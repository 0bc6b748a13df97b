package dev.beesting.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.beesting.api.v1alpha1.validation.PolicyRules;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A standard Kubernetes label selector; an empty selector matches everything. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabelSelector {
    static final String KEY_RE = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
            + "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$";
    static final String VALUE_RE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
    static final String KEY_RULE = "self.matches('" + KEY_RE + "') && size(self) <= 317";
    static final String VALUES_RULE = "self.all(v, v.matches('" + VALUE_RE + "') && size(v) <= 63)";

    /**
     * Labels that must all be present with exactly these values. Keys are map keys, whose length a schema cannot
     * bound, so the API server would cost a CEL rule over them past its budget: the admission policy beside the CRDs
     * checks them instead ({@code crds/honeytokenpolicies.beesting.dev-admission.yaml}).
     */
    @Size(max = 64)
    @ValidationRule(
            value = "self.all(k, self[k].matches('" + VALUE_RE + "') && size(self[k]) <= 63)",
            message = PolicyRules.LABEL_VALUES)
    @JsonPropertyDescription("Labels that must all be present with exactly these values.")
    public Map<String, @Size(max = 63) String> matchLabels;

    /** Expressions that must all hold. */
    @Size(max = 16)
    @JsonPropertyDescription("Expressions that must all hold.")
    public List<LabelSelectorRequirement> matchExpressions;

    public LabelSelector() {}

    public LabelSelector(Map<String, String> matchLabels, List<LabelSelectorRequirement> matchExpressions) {
        this.matchLabels = matchLabels;
        this.matchExpressions = matchExpressions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector that
                && Objects.equals(matchLabels, that.matchLabels)
                && Objects.equals(matchExpressions, that.matchExpressions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(matchLabels, matchExpressions);
    }
}
