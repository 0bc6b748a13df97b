package dev.beesting.agent.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.agent.model.Workload;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.v1alpha1.LabelSelector;
import dev.beesting.api.v1alpha1.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PolicyMatcherTest {
    private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "shop", Map.of(NamespaceLabelSource.NAME_LABEL, "shop", "team", "payments", "env", "prod"),
            "shop-dev", Map.of(NamespaceLabelSource.NAME_LABEL, "shop-dev", "team", "payments", "env", "dev"),
            "kube-system", Map.of(NamespaceLabelSource.NAME_LABEL, "kube-system"));

    private final AtomicReference<NodeConfig> config = new AtomicReference<>();
    private final PolicyMatcher matcher =
            new PolicyMatcher(config::get, namespace -> Optional.ofNullable(NAMESPACES.get(namespace)));

    private static CompiledPolicy policy(String name, LabelSelector namespaces, LabelSelector pods) {
        return new CompiledPolicy(name, "uid-" + name, 1, List.of(), pods, List.of(), null, null, null)
                .withSelector(namespaces);
    }

    private static Workload pod(String namespace, Map<String, String> labels) {
        return new Workload("node-1", namespace, "pod", "uid", labels, "app", "c1", "busybox");
    }

    private List<String> matching(Workload pod) {
        return matcher.matching(pod).stream().map(CompiledPolicy::name).toList();
    }

    private void v2(CompiledPolicy... policies) {
        config.set(new NodeConfig(NodeConfig.API_VERSION_V2, 1, List.of(policies)));
    }

    @Test
    void v2MatchesTheNamespaceSelectorAgainstTheLabelsOfThePodsNamespace() {
        LabelSelector prodPayments = new LabelSelector(
                Map.of("team", "payments"), List.of(new LabelSelectorRequirement("env", "In", List.of("prod"))));
        LabelSelector notProd =
                new LabelSelector(null, List.of(new LabelSelectorRequirement("env", "NotIn", List.of("prod"))));
        LabelSelector byName = new LabelSelector(Map.of(NamespaceLabelSource.NAME_LABEL, "kube-system"), null);
        v2(
                policy("prod-payments", prodPayments, null),
                policy("not-prod", notProd, null),
                policy("by-name", byName, null),
                policy("everywhere", null, null),
                policy("web-only", null, new LabelSelector(Map.of("app", "web"), null)));

        assertThat(matching(pod("shop", Map.of("app", "web"))))
                .containsExactly("prod-payments", "everywhere", "web-only");
        assertThat(matching(pod("shop-dev", Map.of()))).containsExactly("not-prod", "everywhere");
        assertThat(matching(pod("kube-system", Map.of()))).containsExactly("not-prod", "by-name", "everywhere");
    }

    @Test
    void aNamespaceTheNodeHasNotSeenIsKnownByItsNameLabelAlone() {
        v2(
                policy("by-name", new LabelSelector(Map.of(NamespaceLabelSource.NAME_LABEL, "brand-new"), null), null),
                policy("payments", new LabelSelector(Map.of("team", "payments"), null), null),
                policy(
                        "has-team",
                        new LabelSelector(null, List.of(new LabelSelectorRequirement("team", "Exists", null))),
                        null),
                policy("everywhere", null, null));

        assertThat(matching(pod("brand-new", Map.of()))).containsExactly("by-name", "everywhere");
    }

    @Test
    void v1KeepsMatchingByTheNamespaceNamesTheOperatorListed() {
        // a v1 policy carries no selector: the labels of the namespace play no part
        config.set(new NodeConfig(
                NodeConfig.API_VERSION,
                1,
                List.of(new CompiledPolicy(
                        "listed", "uid", 1, List.of("shop-dev"), null, List.of(), null, null, null))));

        assertThat(matching(pod("shop-dev", Map.of()))).containsExactly("listed");
        assertThat(matching(pod("shop", Map.of()))).isEmpty();
    }

    @Test
    void theDefaultSourceKnowsOnlyTheName() {
        assertThat(NamespaceLabelSource.namesOnly().labelsOf("cms"))
                .isEqualTo(Map.of(NamespaceLabelSource.NAME_LABEL, "cms"));
    }
}
