package dev.beesting.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {
    private static final Map<String, String> LABELS = Map.of("app", "cms", "tier", "frontend");

    @Test
    void nullAndEmptySelectorsMatchEverything() {
        assertThat(LabelSelectors.matches(null, LABELS)).isTrue();
        assertThat(LabelSelectors.matches(new LabelSelector(), Map.of())).isTrue();
    }

    @Test
    void matchLabelsNeedEveryLabelWithItsValue() {
        assertThat(LabelSelectors.matches(new LabelSelector(Map.of("app", "cms"), null), LABELS))
                .isTrue();
        assertThat(LabelSelectors.matches(new LabelSelector(Map.of("app", "shop"), null), LABELS))
                .isFalse();
        assertThat(LabelSelectors.matches(new LabelSelector(Map.of("team", "x"), null), LABELS))
                .isFalse();
    }

    @Test
    void expressionsFollowKubernetesOperators() {
        assertThat(matches("tier", "In", List.of("frontend", "backend"))).isTrue();
        assertThat(matches("tier", "In", List.of("backend"))).isFalse();
        assertThat(matches("tier", "NotIn", List.of("backend"))).isTrue();
        assertThat(matches("missing", "NotIn", List.of("x"))).isTrue();
        assertThat(matches("app", "Exists", null)).isTrue();
        assertThat(matches("missing", "Exists", null)).isFalse();
        assertThat(matches("missing", "DoesNotExist", null)).isTrue();
        assertThat(matches("app", "DoesNotExist", null)).isFalse();
    }

    private static boolean matches(String key, String operator, List<String> values) {
        return LabelSelectors.matches(
                new LabelSelector(null, List.of(new LabelSelectorRequirement(key, operator, values))), LABELS);
    }
}
