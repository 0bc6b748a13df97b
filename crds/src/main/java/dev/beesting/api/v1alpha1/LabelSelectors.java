package dev.beesting.api.v1alpha1;

import java.util.List;
import java.util.Map;

/** Evaluates a {@link LabelSelector} against labels, with Kubernetes semantics. */
public final class LabelSelectors {
    private LabelSelectors() {}

    /** Whether the labels satisfy the selector; a null or empty selector matches everything. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector.matchLabels != null) {
            for (Map.Entry<String, String> wanted : selector.matchLabels.entrySet()) {
                if (!wanted.getValue().equals(actual.get(wanted.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.matchExpressions != null) {
            for (LabelSelectorRequirement requirement : selector.matchExpressions) {
                if (!matches(requirement, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.key);
        List<String> values = requirement.values == null ? List.of() : requirement.values;
        return switch (requirement.operator) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new IllegalArgumentException("unknown selector operator " + requirement.operator);
        };
    }
}
