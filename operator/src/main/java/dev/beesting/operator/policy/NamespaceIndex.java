package dev.beesting.operator.policy;

import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.LabelSelectors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Namespaces by label, so a selector with {@code matchLabels} only tests the namespaces carrying its rarest pair
 * instead of all of them: with thousands of namespaces and policies this is most of the compile time.
 */
final class NamespaceIndex {
    private final Map<String, Map<String, String>> labels;
    private final Map<String, Map<String, List<String>>> byLabel = new HashMap<>();

    NamespaceIndex(Map<String, Map<String, String>> labels) {
        this.labels = labels;
        labels.forEach(
                (namespace, pairs) -> pairs.forEach((key, value) -> byLabel.computeIfAbsent(key, k -> new HashMap<>())
                        .computeIfAbsent(value, v -> new ArrayList<>())
                        .add(namespace)));
    }

    /** Names of the namespaces the selector matches, sorted. */
    List<String> matching(LabelSelector selector) {
        Collection<String> candidates = labels.keySet();
        if (selector != null && selector.matchLabels != null) {
            for (Map.Entry<String, String> pair : selector.matchLabels.entrySet()) {
                List<String> carrying =
                        byLabel.getOrDefault(pair.getKey(), Map.of()).getOrDefault(pair.getValue(), List.of());
                if (carrying.size() < candidates.size()) {
                    candidates = carrying;
                }
            }
        }
        return candidates.stream()
                .filter(namespace -> LabelSelectors.matches(selector, labels.get(namespace)))
                .sorted()
                .toList();
    }
}
