package dev.beesting.operator.policy;

import static dev.beesting.operator.policy.Policies.literal;
import static dev.beesting.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.decoy.DecoyKey;
import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.nodeconfig.DecoySettings;
import dev.beesting.api.nodeconfig.NodeConfig;
import dev.beesting.api.nodeconfig.NodeConfigIndex;
import dev.beesting.api.nodeconfig.PolicyObject;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.TokenContent;
import dev.beesting.api.v1alpha1.TokenSpec;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NodeConfigCompilerTest {
    private static final Map<String, Map<String, String>> NAMESPACES = Map.of(
            "cms", Map.of("protect", "true"),
            "shop", Map.of("protect", "true"),
            "dev", Map.of());

    private final NodeConfigCompiler compiler = new NodeConfigCompiler();

    @Test
    void firstConfigIsGenerationOneAndPoliciesAreSortedByName() {
        CompilationResult result = compiler.compile(inputs(
                Optional.empty(),
                policy("zeta", "2025-01-01T00:00:00Z", null, literal("/a", "x")),
                policy("alpha", "2025-01-02T00:00:00Z", Map.of("protect", "true"), literal("/b", "y"))));

        assertThat(result.config().generation()).isEqualTo(1);
        assertThat(result.config().policies()).extracting(CompiledPolicy::name).containsExactly("alpha", "zeta");
        assertThat(result.v1().policies().getFirst().namespaces()).containsExactly("cms", "shop");
        assertThat(result.config().policies().getFirst().namespaceSelector().matchLabels)
                .containsEntry("protect", "true");
        assertThat(result.outcome("zeta").matchedNamespaces()).isEqualTo(3);
    }

    @Test
    void sameContentKeepsTheGenerationAndAnyChangeTakesTheNextOne() {
        HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));
        NodeConfig stored = compiler.compile(inputs(Optional.empty(), policy)).config();
        NodeConfig stored7 = new NodeConfig(stored.apiVersion(), 7, stored.policies());

        assertThat(compiler.compile(inputs(Optional.of(stored7), policy))
                        .config()
                        .generation())
                .isEqualTo(7);
        policy.getSpec().tokens.getFirst().mode = "0400";
        assertThat(compiler.compile(inputs(Optional.of(stored7), policy))
                        .config()
                        .generation())
                .isEqualTo(8);
        assertThat(compiler.compile(inputs(Optional.of(stored7))).config().generation())
                .isEqualTo(8);
    }

    @Test
    void invalidAndUnresolvedPoliciesAreLeftOutNamingTheField() {
        TokenSpec secret = new TokenSpec("/root/.kube/config", TokenContent.secret("kubeconfig", "config"));
        CompilationResult result = compiler.compile(inputs(
                Optional.empty(),
                policy("good", "2025-01-01T00:00:00Z", null, literal("/a", "x")),
                policy("relative", "2025-01-01T00:00:00Z", null, literal("a", "x")),
                policy("unresolved", "2025-01-01T00:00:00Z", null, literal("/a", "x"), secret)));

        assertThat(result.config().policies()).extracting(CompiledPolicy::name).containsExactly("good");
        assertThat(result.outcome("relative"))
                .isEqualTo(new PolicyOutcome.Rejected(
                        PolicyConditions.INVALID_SPEC, "spec.tokens[0].path: must be an absolute path"));
        assertThat(result.outcome("unresolved"))
                .isEqualTo(new PolicyOutcome.Rejected(
                        PolicyConditions.SECRET_REFERENCE_UNRESOLVED,
                        "spec.tokens[1].content.secretKeyRef: key \"config\" of Secret beesting-system/kubeconfig is not"
                                + " available as token content (the Secret must exist, hold the key and carry the"
                                + " label beesting.dev/token-source=true)"));
    }

    @Test
    void secretValuesAreResolvedIntoTheConfig() {
        TokenSpec secret = new TokenSpec("/root/.kube/config", TokenContent.secret("kubeconfig", "config"));
        CompilationResult result = compiler.compile(PolicyInputs.of(
                "beesting-system",
                List.of(policy("p", "2025-01-01T00:00:00Z", null, secret)),
                NAMESPACES,
                Map.of("kubeconfig", Map.of("config", "kind: Config"))));

        assertThat(result.config().policies().getFirst().tokens().getFirst().value())
                .isEqualTo("kind: Config");
    }

    @Test
    void whenTheConfigIsFullTheNewestPolicyIsRejectedAndOlderOnesStay() {
        NodeConfigCompiler small = new NodeConfigCompiler(2_000);
        String kib = "x".repeat(700);
        CompilationResult result = small.compile(inputs(
                Optional.empty(),
                policy("newest", "2025-03-01T00:00:00Z", null, literal("/a", kib)),
                policy("oldest", "2025-01-01T00:00:00Z", null, literal("/a", kib)),
                policy("middle", "2025-02-01T00:00:00Z", Map.of("none", "x"), literal("/a", "small"))));

        assertThat(result.config().policies()).extracting(CompiledPolicy::name).containsExactly("middle", "oldest");
        assertThat(result.outcome("newest")).isInstanceOf(PolicyOutcome.Rejected.class);
        assertThat(((PolicyOutcome.Rejected) result.outcome("newest")).reason())
                .isEqualTo(PolicyConditions.CONFIG_TOO_LARGE);
        assertThat(result.bytes()).isLessThanOrEqualTo(2_000);
    }

    @Test
    void decoySettingsAndTheTokensDecoyServerReachTheConfigAndAKeyChangeIsANewGeneration() {
        TokenSpec kubeconfig = new TokenSpec("/root/.kube/config", TokenContent.template("{{kubeconfig}}"));
        kubeconfig.decoyServer = "https://k8s.example.com";
        HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, kubeconfig);
        DecoySettings first = new DecoySettings(
                "https://beesting-decoy.beesting-system.svc",
                null,
                "prod",
                DecoySettings.Key.of(DecoyKey.generate("k1", new SecureRandom())),
                null);
        CompilationResult one =
                compiler.compile(PolicyInputs.of("beesting-system", List.of(policy), NAMESPACES, Map.of())
                        .withDecoy(first));
        assertThat(one.config().decoy()).isEqualTo(first);
        assertThat(one.config().policies().getFirst().tokens().getFirst().decoyServer())
                .isEqualTo("https://k8s.example.com");

        CompilationResult same =
                compiler.compile(PolicyInputs.of("beesting-system", List.of(policy), NAMESPACES, Map.of())
                        .withCurrent(one.config())
                        .withDecoy(first));
        assertThat(same.config().generation()).isEqualTo(one.config().generation());

        DecoySettings rotated = new DecoySettings(
                first.server(),
                null,
                "prod",
                DecoySettings.Key.of(DecoyKey.generate("k2", new SecureRandom())),
                first.key());
        CompilationResult next =
                compiler.compile(PolicyInputs.of("beesting-system", List.of(policy), NAMESPACES, Map.of())
                        .withCurrent(one.config())
                        .withDecoy(rotated));
        assertThat(next.config().generation()).isEqualTo(one.config().generation() + 1);
        assertThat(next.json()).contains("\"previousKey\"");
    }

    @Test
    void withV4EveryWriteTakesTheNextGenerationAndAnEditLeavesTheIndexAlone() {
        HoneytokenPolicy a = policy("a", "2025-01-01T00:00:00Z", null, literal("/a", "x"));
        HoneytokenPolicy b = policy("b", "2025-01-02T00:00:00Z", null, literal("/b", "y"));
        CompilationResult first = compiler.compile(v4(null, a));
        // the object first, then the index that names it
        assertThat(first.objects().get("a").generation()).isEqualTo(1);
        assertThat(first.objects().get("a").indexGeneration()).isEqualTo(2);
        assertThat(first.index()).isEqualTo(new NodeConfigIndex(NodeConfigIndex.API_VERSION, 2, 1, List.of("a"), null));
        assertThat(first.config().generation()).isEqualTo(2);

        CompilationResult same = compiler.compile(v4(first, a));
        assertThat(same.config().generation()).isEqualTo(2);
        assertThat(same.index()).isEqualTo(first.index());
        assertThat(same.objects()).isEqualTo(first.objects());

        a.getSpec().tokens.getFirst().content.value = "edited";
        a.getMetadata().setGeneration(2L);
        CompilationResult edited = compiler.compile(v4(first, a));
        assertThat(edited.index()).as("an edit rewrites the object alone").isEqualTo(first.index());
        assertThat(edited.objects().get("a"))
                .returns(3L, PolicyObject.Stored::generation)
                .returns(2L, PolicyObject.Stored::indexGeneration);
        assertThat(edited.config().generation()).isEqualTo(3);

        // a change of two objects and the set: one generation per write, in name order, the index last
        a.getSpec().tokens.getFirst().content.value = "again";
        a.getMetadata().setGeneration(3L);
        CompilationResult added = compiler.compile(v4(edited, a, b));
        assertThat(added.objects().get("a").generation()).isEqualTo(4);
        assertThat(added.objects().get("b").generation()).isEqualTo(5);
        assertThat(added.objects().values())
                .allSatisfy(o -> assertThat(o.indexGeneration()).isEqualTo(6));
        assertThat(added.index())
                .isEqualTo(new NodeConfigIndex(NodeConfigIndex.API_VERSION, 6, 5, List.of("a", "b"), null));
        assertThat(added.config().generation()).isEqualTo(6);

        CompilationResult removed = compiler.compile(v4(added, b));
        assertThat(removed.objects())
                .containsOnlyKeys("b")
                .containsEntry("b", added.objects().get("b"));
        assertThat(removed.index())
                .isEqualTo(new NodeConfigIndex(NodeConfigIndex.API_VERSION, 7, 5, List.of("b"), null));
    }

    @Test
    void withV4ANamespaceRelabelThatChangesOnlyV1WritesTheIndexAgain() {
        HoneytokenPolicy a = policy("a", "2025-01-01T00:00:00Z", Map.of("protect", "true"), literal("/a", "x"));
        CompilationResult first = compiler.compile(v4(null, a));
        PolicyInputs relabelled = PolicyInputs.of(
                        "beesting-system", List.of(a), Map.of("cms", Map.of("protect", "true")), Map.of())
                .withCurrent(first.config())
                .withStoredV4(first.index(), stored(first))
                .withFormats(new StoredFormats(true, true, true))
                .withCurrentV1(first.v1());

        CompilationResult next = compiler.compile(relabelled);

        assertThat(next.objects()).isEqualTo(first.objects());
        assertThat(next.index().generation()).isEqualTo(first.index().generation() + 1);
        assertThat(next.config().generation()).isEqualTo(next.index().generation());
        assertThat(next.v1().policies().getFirst().namespaces()).containsExactly("cms");
    }

    /** Inputs with v4 alone stored as {@code before} left it. */
    private static PolicyInputs v4(CompilationResult before, HoneytokenPolicy... policies) {
        PolicyInputs inputs = PolicyInputs.of("beesting-system", List.of(policies), NAMESPACES, Map.of())
                .withFormats(new StoredFormats(false, false, true));
        return before == null ? inputs : inputs.withStoredV4(before.index(), stored(before));
    }

    private static Map<String, PolicyObject.Stored> stored(CompilationResult result) {
        Map<String, PolicyObject.Stored> stored = new java.util.HashMap<>();
        result.objects().forEach((policy, object) -> stored.put(PolicyObject.secretName(policy), object));
        return stored;
    }

    private static PolicyInputs inputs(Optional<NodeConfig> current, HoneytokenPolicy... policies) {
        PolicyInputs inputs = PolicyInputs.of("beesting-system", List.of(policies), NAMESPACES, Map.of());
        return current.map(inputs::withCurrent).orElse(inputs);
    }
}
