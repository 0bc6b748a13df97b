package dev.beesting.operator.policy;

import static dev.beesting.operator.policy.Policies.literal;
import static dev.beesting.operator.policy.Policies.policy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.beesting.api.nodeconfig.CompiledPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicy;
import dev.beesting.api.v1alpha1.HoneytokenPolicyStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyStatusFactoryTest {
    private static final CompiledPolicy COMPILED =
            new CompiledPolicy("p", "uid-p", 1, List.of("cms"), null, List.of(), null, null, null);

    @Test
    void conditionsKeepTheirTransitionTimeWhileTheStatusStaysTheSame() {
        HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));
        policy.setStatus(factoryAt("2025-05-01T10:00:00Z")
                .status(
                        policy,
                        new PolicyOutcome.Compiled(COMPILED),
                        3L,
                        new NodeReadiness(1, 2, List.of("w2")),
                        AlertTally.NONE));

        HoneytokenPolicyStatus later = factoryAt("2025-05-01T11:00:00Z")
                .status(
                        policy,
                        new PolicyOutcome.Compiled(COMPILED),
                        3L,
                        new NodeReadiness(2, 2, List.of()),
                        new AlertTally(4, java.util.Optional.empty()));

        assertThat(condition(later, PolicyConditions.ACCEPTED).getLastTransitionTime())
                .isEqualTo("2025-05-01T10:00:00Z");
        assertThat(condition(later, PolicyConditions.READY).getLastTransitionTime())
                .isEqualTo("2025-05-01T11:00:00Z");
        assertThat(condition(later, PolicyConditions.READY).getReason()).isEqualTo(PolicyConditions.ALL_NODES_READY);
        assertThat(later.nodes).isEqualTo("2/2");
        assertThat(later.alerts).isEqualTo(4);
        assertThat(later.observedGeneration).isEqualTo(1);
        assertThat(later.conditions)
                .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1));
    }

    @Test
    void tokensTheNodesSkippedBecauseThePodMountsThatPathAreCountedForTheirPolicy() {
        HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));
        HoneytokenPolicyStatus status = factoryAt("2025-05-01T10:00:00Z")
                .status(
                        policy,
                        new PolicyOutcome.Compiled(COMPILED),
                        3L,
                        new NodeReadiness(2, 2, List.of(), java.util.Map.of("p", 3, "other", 1)),
                        AlertTally.NONE);

        assertThat(status.skippedTokens).isEqualTo(3);
        assertThat(factoryAt("2025-05-01T10:00:00Z")
                        .status(
                                policy,
                                new PolicyOutcome.Compiled(COMPILED),
                                3L,
                                new NodeReadiness(2, 2, List.of()),
                                AlertTally.NONE)
                        .skippedTokens)
                .isNull();
    }

    @Test
    void rejectedPolicyIsNeitherAcceptedNorReady() {
        HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("a", "x"));
        HoneytokenPolicyStatus status = factoryAt("2025-05-01T10:00:00Z")
                .status(
                        policy,
                        new PolicyOutcome.Rejected(PolicyConditions.INVALID_SPEC, "spec.tokens[0].path: bad"),
                        null,
                        NodeReadiness.none(3),
                        AlertTally.NONE);

        assertThat(condition(status, PolicyConditions.ACCEPTED).getMessage()).isEqualTo("spec.tokens[0].path: bad");
        assertThat(condition(status, PolicyConditions.READY).getReason()).isEqualTo(PolicyConditions.NOT_ACCEPTED);
        assertThat(status.matchedNamespaces).isZero();
        assertThat(status.nodes).isEqualTo("0/3");
    }

    @Test
    void pendingNodesAreNamedUpToFive() {
        HoneytokenPolicy policy = policy("p", "2025-01-01T00:00:00Z", null, literal("/a", "x"));
        HoneytokenPolicyStatus status = factoryAt("2025-05-01T10:00:00Z")
                .status(
                        policy,
                        new PolicyOutcome.Compiled(COMPILED),
                        9L,
                        new NodeReadiness(1, 8, List.of("a", "b", "c", "d", "e", "f", "g")),
                        AlertTally.NONE);

        assertThat(condition(status, PolicyConditions.READY).getMessage())
                .isEqualTo("1/8 nodes applied node configuration generation 9 or later; waiting for a, b, c, d, e"
                        + " and 2 more");
    }

    private static PolicyStatusFactory factoryAt(String instant) {
        return new PolicyStatusFactory(Clock.fixed(Instant.parse(instant), ZoneOffset.UTC));
    }

    private static Condition condition(HoneytokenPolicyStatus status, String type) {
        return status.conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElseThrow();
    }
}
